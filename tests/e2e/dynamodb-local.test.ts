import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, DescribeTableCommand, DescribeTimeToLiveCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTable, localClientConfig, startDynamoDbLocal } from '../../infra/local/dynamodb';
import { tableDefinition } from '../../shared/data/table';

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('DynamoDB Local for the twin and the tests', { timeout: 90_000 }, () => {
  it('keeps data in a data folder across restarts, and stop() leaves no Java behind', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'switchboard-ddb-')), 'nested', 'data');
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const item = { pk: { S: 'T#ten_1' }, sk: { S: 'TENANT' }, name: { S: 'Acme' } };

    const first = await startDynamoDbLocal({ dataDir });
    const firstClient = new DynamoDBClient({ ...localClientConfig, endpoint: first.endpoint });
    await ensureTable(firstClient, 'switchboard-persist');
    await firstClient.send(new PutItemCommand({ TableName: 'switchboard-persist', Item: item }));
    firstClient.destroy();
    await first.stop();
    expect(isRunning(first.pid)).toBe(false);

    const second = await startDynamoDbLocal({ dataDir });
    cleanups.push(second.stop);
    // Other credentials than the ones the table was created with: handlers may pick up any.
    const client = new DynamoDBClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIAOTHER', secretAccessKey: 'other' },
      endpoint: second.endpoint,
    });
    cleanups.push(async () => client.destroy());
    await ensureTable(client, 'switchboard-persist'); // exists: nothing to do, no error
    const { Item } = await client.send(
      new GetItemCommand({ TableName: 'switchboard-persist', Key: { pk: item.pk, sk: item.sk } }),
    );
    expect(Item).toEqual(item);
  });

  it('creates the table from the shared definition, with its indexes and TTL', async () => {
    const dynamo = await startDynamoDbLocal();
    cleanups.push(dynamo.stop);
    const client = new DynamoDBClient({ ...localClientConfig, endpoint: dynamo.endpoint });
    cleanups.push(async () => client.destroy());
    await ensureTable(client, 'switchboard-shape');

    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'switchboard-shape' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.Projection?.ProjectionType]).sort()).toEqual(
      tableDefinition.globalSecondaryIndexes.map((index) => [index.indexName, 'KEYS_ONLY']).sort(),
    );
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'switchboard-shape' }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: tableDefinition.timeToLiveAttribute,
    });
  });

  it('adds the indexes and TTL a table from an older data folder lacks', async () => {
    const dynamo = await startDynamoDbLocal();
    cleanups.push(dynamo.stop);
    const client = new DynamoDBClient({ ...localClientConfig, endpoint: dynamo.endpoint });
    cleanups.push(async () => client.destroy());
    await client.send(
      new CreateTableCommand({
        TableName: 'switchboard-old',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    await ensureTable(client, 'switchboard-old');
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'switchboard-old' }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus]).sort()).toEqual(
      tableDefinition.globalSecondaryIndexes.map((index) => [index.indexName, 'ACTIVE']).sort(),
    );
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'switchboard-old' }));
    expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
  });

  it('says clearly when Java is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startDynamoDbLocal()).rejects.toThrow(/`java` was not found on PATH\. Install Java 17/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('passes on what Java said when it dies before answering', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'switchboard-fake-java-'));
    cleanups.push(() => rm(bin, { recursive: true, force: true }));
    await writeFile(join(bin, 'java'), '#!/bin/sh\necho "Error: LinkageError occurred while loading main class" >&2\nexit 1\n', { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      await expect(startDynamoDbLocal()).rejects.toThrow(
        /DynamoDB Local exited with code 1 before it was ready\.\nJava said:\nError: LinkageError occurred/,
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('refuses a port that is taken, rather than use whatever answers there', async () => {
    const taken = await startDynamoDbLocal();
    cleanups.push(taken.stop);
    await expect(startDynamoDbLocal({ port: taken.port })).rejects.toThrow(`port ${taken.port} is in use`);
  });
});
