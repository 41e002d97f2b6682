import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDbLocal, ensureTable, localClientConfig, startDynamoDbLocal } from './dynamodb';
import { ensureConsoleBuilt } from './console';
import { type Twin, startTwin } from './twin';

/**
 * `npm start`: DynamoDB Local, the table, and the HTTP twin of the API on one machine.
 *
 *   npm start                      in memory, on http://localhost:3000
 *   npm start -- --data ./.data    keep the data in ./.data between runs (the table, and the
 *                                  people's sign-in accounts in ./.data/identity.json)
 *
 * PORT picks the port, HOST the interface (127.0.0.1), SWITCHBOARD_OPERATOR_KEY the operator key
 * (a random one is made and printed otherwise), SWITCHBOARD_DELIVER_EVENTS_TWICE=true delivers
 * every event twice (consumers must not mind), SWITCHBOARD_TWIN_WEBHOOK_RECEIVER_PORTS=8080,8081
 * lets webhooks name receivers on this machine at those ports over plain HTTP (twin only).
 * `--signup-approval` (or SWITCHBOARD_SIGNUP_REQUIRES_APPROVAL=true) makes self-service sign-ups
 * wait for the operator's approval, as the stage setting SIGNUP_REQUIRES_APPROVAL does in AWS.
 */

const tableName = 'switchboard-local';

function usageError(message: string): never {
  console.error(`${message}\nUsage: npm start [-- --data DIR] [--signup-approval]   (env: PORT, HOST, SWITCHBOARD_OPERATOR_KEY, SWITCHBOARD_SIGNUP_REQUIRES_APPROVAL)`);
  process.exit(2);
}

function readOptions() {
  let values: { data?: string; 'signup-approval'?: boolean };
  try {
    ({ values } = parseArgs({ options: { data: { type: 'string' }, 'signup-approval': { type: 'boolean' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    usageError((error as Error).message);
  }
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usageError(`PORT must be a port number, not "${process.env.PORT}"`);
  const generatedKey = !process.env.SWITCHBOARD_OPERATOR_KEY;
  const operatorKey = process.env.SWITCHBOARD_OPERATOR_KEY || `op_${randomBytes(32).toString('base64url')}`;
  const signupApproval = values['signup-approval'] === true || process.env.SWITCHBOARD_SIGNUP_REQUIRES_APPROVAL === 'true';
  return { dataDir: values.data, port, host: process.env.HOST || '127.0.0.1', operatorKey, generatedKey, signupApproval };
}

async function main(): Promise<void> {
  const options = readOptions();
  // The functions run in this process and read the stage setting from their environment.
  if (options.signupApproval) process.env.SIGNUP_REQUIRES_APPROVAL = 'true';
  let dynamo: DynamoDbLocal | undefined;
  let twin: Twin | undefined;
  let stopping = false;

  const shutDown = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    await twin?.close().catch((error: unknown) => console.error('Could not close the HTTP server:', error));
    await dynamo?.stop();
    if (exitCode === 0) console.log('Stopped.');
    process.exit(exitCode);
  };
  // Stopping takes a few seconds at most (the server closes within 2 s, Java within 5 s or is
  // killed), so a repeated signal (a second Ctrl-C) is ignored.
  const onSignal = () => {
    if (stopping) return;
    console.log('\nStopping…');
    void shutDown(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const storage = options.dataDir ? `data in ${options.dataDir}` : 'in memory; use --data DIR to keep data';
  try {
    console.log(`Starting DynamoDB Local (${options.dataDir ? `data in ${options.dataDir}` : 'in memory'})…`);
    dynamo = await startDynamoDbLocal({ dataDir: options.dataDir });
    if (stopping) return;
    console.log(`DynamoDB Local is up at ${dynamo.endpoint}`);
    // Java dying under the twin leaves nothing to serve; a Ctrl-C reaches Java too, and that is no surprise.
    void dynamo.exited.then(({ code, signal }) => {
      if (stopping || signal === 'SIGINT' || code === 130) return;
      console.error(`DynamoDB Local stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping the twin.`);
      void shutDown(1);
    });

    const client = new DynamoDBClient({ ...localClientConfig, endpoint: dynamo.endpoint });
    try {
      await ensureTable(client, tableName);
    } finally {
      client.destroy();
    }

    if ((await ensureConsoleBuilt({ log: console.log })) === 'built') console.log('The console is built (web/dist).');
    twin = await startTwin({
      port: options.port,
      host: options.host,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      operatorKey: options.operatorKey,
      ...(options.dataDir ? { identityFile: join(options.dataDir, 'identity.json') } : {}),
      // POST /local/clock moves the functions' "now" too, so that what is opened after a move counts from the moved time (docs/local-twin.md).
      functionsFollowClock: true,
      // A kept data folder may hold outbox records written while the twin was down: relay them too.
      events: {
        streamStartingPosition: options.dataDir ? 'TRIM_HORIZON' : 'LATEST',
        deliverEventsTwice: process.env.SWITCHBOARD_DELIVER_EVENTS_TWICE === 'true',
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`Port ${options.port} is in use; set PORT=<another port> to use another (e.g. PORT=3001 npm start).`);
    } else {
      console.error(error instanceof Error ? error.message : error);
    }
    await shutDown(1);
    return;
  }
  if (stopping) return;

  const url = twin.url.replace('://127.0.0.1:', '://localhost:');
  console.log(
    [
      '',
      `Console           ${twin.consoleUrl}/  (sign in as a person; sign up a business at ${twin.consoleUrl}/signup)`,
      `Switchboard API   ${url}`,
      `DynamoDB Local    ${dynamo.endpoint}  (table ${tableName}, ${storage})`,
      `Event bus         ${url}/local/events  (dead letters: /local/events/dead-letters; timers: /local/schedules; POST /local/clock {"advanceSeconds":N})`,
      `Sign-in (OIDC)    ${twin.issuer}  (discovery: /oidc/.well-known/openid-configuration; Cognito and SES emulated)`,
      `Mail outbox       ${url}/local/mail/outbox  (invitations, sign-up and password-reset mail; SMS: /local/sms/outbox)`,
      `Operator key      ${options.operatorKey}${options.generatedKey ? '  (generated; set SWITCHBOARD_OPERATOR_KEY to keep one)' : ''}`,
      `Sign-ups          ${options.signupApproval ? 'wait for the operator\'s approval (GET /v1/operator/signups)' : 'make a trial tenant once the address is verified (--signup-approval to approve them)'}`,
      '',
      'Create a tenant (the answer holds its admin API key, shown once):',
      `  curl -s -X POST ${url}/v1/tenants -H "Authorization: Bearer ${options.operatorKey}" -H 'content-type: application/json' -d '{"name":"Acme Support","timezone":"Asia/Taipei","locale":"zh-TW","defaultCountry":"TW","plan":"trial"}'`,
      '',
      `GET ${url}/openapi.json describes every route; ${url}/docs is its reference (rendered on the first visit). Ctrl-C stops everything.`,
      '',
      'Switchboard local twin ready',
    ].join('\n'),
  );
}

await main();
