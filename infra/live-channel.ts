import { type CfnElement, CfnOutput, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import { type CfnStage, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type FunctionDeclaration, type LiveFunctionName, live, liveFunctions } from '../shared/http/functions';
import type { StageProfile } from './config';
import { createSwitchboardFunction } from './lambda-function';
import { personTokenEnvironment } from './people-access';
import type { PersonTokens } from './people-stack';

export interface LiveChannelProps {
  profile: StageProfile;
  table: ITable;
  secretKey: IKey;
  tableIndexes: string;
  people: PersonTokens;
}

/** A WebSocket connection's route calls are quick table writes; `$connect` also verifies a token. */
const liveTimeout = Duration.seconds(10);

/** Per stage: a firm's desks connect a few times an hour; this is far above that, and bounds a runaway client. */
export const liveThrottle = { burstLimit: 100, rateLimit: 50 };

/**
 * The live channel (docs/developers/live.md): an API Gateway WebSocket API whose `$connect` is
 * guarded by a REQUEST authorizer reading the Sec-WebSocket-Protocol header (the person's access
 * token travels as a subprotocol, never in the URL), whose `$connect`, `$disconnect` and `$default`
 * run live-connections, and whose stage is named after `live.path` (`live`), so that CloudFront
 * forwards the console's `wss://<edge>/live` to it unchanged (infra/edge-stack.ts). Functions that
 * push (`pushesLive`) get the management endpoint and execute-api:ManageConnections on this stage.
 */
export class LiveChannel extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  readonly functions: Record<LiveFunctionName, NodejsFunction>;
  /** `<api id>.execute-api.<region>.amazonaws.com`: the edge's origin for `live.path`. */
  readonly domainName: string;

  constructor(scope: Construct, id: string, props: LiveChannelProps) {
    super(scope, id);
    const { profile } = props;
    this.functions = Object.fromEntries(
      Object.entries<FunctionDeclaration>(liveFunctions).map(([name, declaration]) => [
        name,
        createSwitchboardFunction(this, { name, declaration, profile, table: props.table, secretKey: props.secretKey, tableIndexes: props.tableIndexes, timeout: liveTimeout }),
      ]),
    ) as Record<LiveFunctionName, NodejsFunction>;
    const authorizerFunction = this.functions['live-authorizer'];
    for (const [name, value] of Object.entries(personTokenEnvironment(props.people))) authorizerFunction.addEnvironment(name, value);

    const connections = this.functions['live-connections'];
    const authorizer = new WebSocketLambdaAuthorizer('LiveAuthorizer', authorizerFunction, {
      authorizerName: 'live-person-token',
      // Without the header API Gateway refuses the connection itself, invoking nothing.
      identitySource: ['route.request.header.Sec-WebSocket-Protocol'],
    });
    this.api = new WebSocketApi(this, 'LiveApi', {
      apiName: `switchboard-${profile.stage}-live`,
      description: `Switchboard live channel: server-to-browser messages for open desks (${profile.stage})`,
      connectRouteOptions: { integration: new WebSocketLambdaIntegration('LiveConnect', connections), authorizer },
      disconnectRouteOptions: { integration: new WebSocketLambdaIntegration('LiveDisconnect', connections) },
      defaultRouteOptions: { integration: new WebSocketLambdaIntegration('LiveDefault', connections) },
    });
    const accessLogGroup = new LogGroup(this, 'LiveAccessLogGroup', { retention: profile.logRetention, removalPolicy: profile.removalPolicy });
    this.stage = new WebSocketStage(this, 'LiveStage', {
      webSocketApi: this.api,
      stageName: live.path.slice(1),
      autoDeploy: true,
      throttle: liveThrottle,
    });
    // No request path or query in the log: the channel's URL carries nothing, and IPs are personal data.
    (this.stage.node.defaultChild as CfnStage).accessLogSettings = {
      destinationArn: accessLogGroup.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        requestTime: '$context.requestTimeEpoch',
        routeKey: '$context.routeKey',
        eventType: '$context.eventType',
        status: '$context.status',
        connectionId: '$context.connectionId',
        error: '$context.error.message',
        authorizerError: '$context.authorizer.error',
        tenantId: '$context.authorizer.tenantId',
      }),
    };
    this.domainName = Fn.select(2, Fn.split('/', this.api.apiEndpoint));
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: '$connect has the Lambda authorizer (people only); $disconnect and $default run only on a connection it let in, which is how WebSocket APIs work.',
    });

    new CfnOutput(Stack.of(this), 'LiveUrl', {
      value: this.stage.url,
      description: 'The live channel (WebSocket) straight on API Gateway; the console reaches it through the edge at wss://<EdgeUrl host>/live',
    });
  }

  /** Lets a function post to (and drop) the channel's connections: shared/ports/live-push.ts. */
  grantPush(fn: NodejsFunction): void {
    fn.addEnvironment('LIVE_MANAGEMENT_ENDPOINT', this.stage.callbackUrl);
    this.stage.grantManagementApiAccess(fn);
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${Stack.of(this).getLogicalId(this.api.node.defaultChild as CfnElement)}>/${this.stage.stageName}/*/@connections/*]`,
      reason: 'Connections are named at run time; the grant covers only the live channel stage\'s @connections (PostToConnection, DeleteConnection).',
    });
  }
}
