import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TestProject } from 'vitest/node';
import { ensureConsoleBuilt } from '../infra/local/console';
import { ensureTable, localClientConfig, startDynamoDbLocal } from '../infra/local/dynamodb';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local, started once for the whole run; each test file makes its own table. */
    dynamoEndpoint: string;
  }
}

/**
 * One DynamoDB Local for the whole run, on a free port, checked by creating a table from the
 * shared definition (each test file then creates its own: tests/support/twin.ts).
 * TEST_DYNAMODB_ENDPOINT points the run at one already running instead (say, in Docker).
 */
export default async function setup(project: TestProject) {
  // The console (web/dist) once for the run, before any test file's twin serves it.
  await ensureConsoleBuilt();
  const existing = process.env.TEST_DYNAMODB_ENDPOINT;
  const dynamo = existing ? undefined : await startDynamoDbLocal();
  const endpoint = existing ?? dynamo!.endpoint;

  const client = new DynamoDBClient({ ...localClientConfig, endpoint });
  try {
    await ensureTable(client, 'switchboard-test-setup');
  } catch (error) {
    await dynamo?.stop();
    throw error;
  } finally {
    client.destroy();
  }

  project.provide('dynamoEndpoint', endpoint);

  return async () => {
    await dynamo?.stop();
  };
}
