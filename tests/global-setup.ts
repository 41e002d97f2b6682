import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TestProject } from 'vitest/node';
import { ensureTable, localClientConfig, startDynamoDbLocal } from '../infra/local/dynamodb';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local, started once for the whole run. */
    dynamoEndpoint: string;
    tableName: string;
  }
}

const tableName = 'switchboard-test';

/**
 * One DynamoDB Local for the whole run, on a free port, with the table created from the shared
 * definition. TEST_DYNAMODB_ENDPOINT points the run at one already running instead (say, in Docker).
 */
export default async function setup(project: TestProject) {
  const existing = process.env.TEST_DYNAMODB_ENDPOINT;
  const dynamo = existing ? undefined : await startDynamoDbLocal();
  const endpoint = existing ?? dynamo!.endpoint;

  const client = new DynamoDBClient({ ...localClientConfig, endpoint });
  try {
    await ensureTable(client, tableName);
  } catch (error) {
    await dynamo?.stop();
    throw error;
  } finally {
    client.destroy();
  }

  project.provide('dynamoEndpoint', endpoint);
  project.provide('tableName', tableName);

  return async () => {
    await dynamo?.stop();
  };
}
