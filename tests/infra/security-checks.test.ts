import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { defaultRouteThrottle, publicRouteThrottle } from '../../infra/api-stack';
import { routeKey, routes } from '../../shared/http/routes';
import { buildApp, exampleOperatorKeyHash, resourcesOf, synthesize, synthTimeout } from './synth';

/** The API stack's throttling, and that cdk-nag's Serverless pack runs beside AwsSolutions. */

describe('API throttling', () => {
  it(
    'throttles every route by default and the routes callable without a tenant key tighter',
    () => {
      const { apiTemplate } = synthesize({ stage: 'dev', operatorKeyHash: exampleOperatorKeyHash }, { bundle: false });
      const [stage] = Object.values(resourcesOf(apiTemplate, 'AWS::ApiGatewayV2::Stage'));
      expect(stage!.Properties.DefaultRouteSettings).toMatchObject({
        ThrottlingBurstLimit: defaultRouteThrottle.burstLimit,
        ThrottlingRateLimit: defaultRouteThrottle.rateLimit,
      });
      const publicKeys = routes.filter((route) => route.access.kind !== 'tenant' && route.function !== 'openapi').map(routeKey);
      expect(publicKeys).toEqual(expect.arrayContaining(['GET /s/{token}', 'POST /s/{token}', 'POST /v1/tenants']));
      const settings = stage!.Properties.RouteSettings as Record<string, { ThrottlingBurstLimit: number; ThrottlingRateLimit: number }>;
      expect(Object.keys(settings).sort()).toEqual([...publicKeys].sort());
      for (const key of publicKeys) {
        expect(settings[key], key).toEqual({ ThrottlingBurstLimit: publicRouteThrottle.burstLimit, ThrottlingRateLimit: publicRouteThrottle.rateLimit });
      }
      // Route settings name routes by key: the stage must wait for them.
      expect((stage as unknown as { DependsOn?: string[] }).DependsOn?.length ?? 0).toBeGreaterThanOrEqual(publicKeys.length);
    },
    synthTimeout,
  );
});

describe('cdk-nag Serverless pack', () => {
  it(
    'runs: a function built without a dead-letter queue is reported',
    () => {
      const { app, api } = buildApp({ stage: 'dev', operatorKeyHash: exampleOperatorKeyHash }, { bundle: false });
      new LambdaFunction(api, 'UnreviewedAsyncFunction', {
        runtime: Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: Code.fromInline('export const handler = async () => ({});'),
      });
      expect(() => app.synth()).toThrow(/Serverless-LambdaDLQ[\s\S]*UnreviewedAsyncFunction|UnreviewedAsyncFunction[\s\S]*Serverless-LambdaDLQ/);
    },
    synthTimeout,
  );
});
