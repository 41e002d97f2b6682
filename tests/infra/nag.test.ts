import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';
import { buildApp, exampleOperatorKeyHash, synthTimeout } from './synth';

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

/** The report's entry for construct annotations (Switchboard's own synth warnings, tested where they are raised), not a cdk-nag pack. */
const constructAnnotations = 'Construct Annotations';

/**
 * cdk-nag v3 runs as a CDK validation plugin: findings are not construct annotations but
 * entries of the cloud assembly's validation report, and acknowledged ones are left out of it.
 */
function unacknowledgedFindings(app: ReturnType<typeof buildApp>['app']): string[] {
  const assembly = app.synth();
  const reportFile = path.join(assembly.directory, VALIDATION_REPORT_FILE);
  if (!existsSync(reportFile)) return [];
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReport;
  return report.pluginReports.filter((plugin) => plugin.pluginName !== constructAnnotations).flatMap((plugin) =>
    plugin.violations
      .filter((violation) => violation.severity === 'error' || violation.severity === 'warning')
      .flatMap((violation) =>
        violation.violatingConstructs.map((construct) => `${plugin.pluginName} ${violation.severity} ${violation.ruleName} at ${construct.constructPath}`),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  // dev as `cdk synth` builds it, bundles included; prod differs in settings, not in code.
  for (const [stage, bundle] of [['dev', true], ['prod', false]] as const) {
    it(
      `reports no unacknowledged error or warning for stage ${stage}`,
      () => {
        const { app } = buildApp({ stage, operatorKeyHash: exampleOperatorKeyHash }, { bundle });
        expect(unacknowledgedFindings(app)).toEqual([]);
      },
      synthTimeout,
    );
  }

  it(
    'still catches what nobody acknowledged: acknowledgements are per resource, not blanket',
    () => {
      const { app, api } = buildApp({ stage: 'dev', operatorKeyHash: exampleOperatorKeyHash }, { bundle: false });
      // A function built the default way: managed execution policy, not the stack's own role and acknowledgements.
      new LambdaFunction(api, 'UnreviewedFunction', {
        runtime: Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: Code.fromInline('export const handler = async () => ({ statusCode: 200 });'),
      });
      expect(() => app.synth()).toThrow(/AwsSolutions-IAM4[\s\S]*UnreviewedFunction|UnreviewedFunction[\s\S]*AwsSolutions-IAM4/);
    },
    synthTimeout,
  );
});
