import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, localClientConfig, startDynamoDbLocal } from '../infra/local/dynamodb';
import { startTwin } from '../infra/local/twin';
import { keys } from '../shared/data/keys';
import { ms, percentile, timeEach } from './stats';

const tableName = 'switchboard-bench';
const operatorKey = 'op_bench';

export interface LatencyResult {
  samples: number;
  api: { p50: number; p99: number };
  bare: { p50: number; p99: number };
}

/**
 * GET /v1/customers/{id} through the local twin against a bare GetItem of the same item on the
 * same DynamoDB Local, measured in one run, alternating rounds so that drift hits both alike.
 */
export async function measureCustomerReadLatency(samples = 1000): Promise<LatencyResult> {
  const dynamo = await startDynamoDbLocal();
  const client = new DynamoDBClient({ ...localClientConfig, endpoint: dynamo.endpoint });
  try {
    await ensureTable(client, tableName);
    const twin = await startTwin({ port: 0, dynamoEndpoint: dynamo.endpoint, tableName, operatorKey });
    try {
      const post = (path: string, key: string, body: unknown) =>
        fetch(`${twin.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then((response) => response.json() as Promise<{ apiKey: { secret: string }; tenant: { tenantId: string }; customerId: string }>);
      const signup = await post('/v1/tenants', operatorKey, {
        name: 'Bench',
        timezone: 'Asia/Taipei',
        locale: 'en',
        defaultCountry: 'TW',
      });
      const apiKey: string = signup.apiKey.secret;
      const tenantId: string = signup.tenant.tenantId;
      const customer = await post('/v1/customers', apiKey, { displayName: 'Bench customer', phone: '0912345678' });
      const path = `${twin.url}/v1/customers/${customer.customerId}`;
      const documentClient = DynamoDBDocumentClient.from(client);
      const key = keys.customer(tenantId, customer.customerId);

      const viaApi = async () => {
        const response = await fetch(path, { headers: { authorization: `Bearer ${apiKey}` } });
        if (response.status !== 200) throw new Error(`GET customer answered ${response.status}`);
        await response.arrayBuffer();
      };
      const bare = () => documentClient.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));

      await timeEach(100, viaApi);
      await timeEach(100, bare);
      const apiTimes: number[] = [];
      const bareTimes: number[] = [];
      const rounds = 10;
      for (let round = 0; round < rounds; round++) {
        apiTimes.push(...(await timeEach(samples / rounds, viaApi)));
        bareTimes.push(...(await timeEach(samples / rounds, bare)));
      }
      apiTimes.sort((a, b) => a - b);
      bareTimes.sort((a, b) => a - b);
      return {
        samples,
        api: { p50: percentile(apiTimes, 50), p99: percentile(apiTimes, 99) },
        bare: { p50: percentile(bareTimes, 50), p99: percentile(bareTimes, 99) },
      };
    } finally {
      await twin.close();
    }
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

export function formatLatency(result: LatencyResult): string {
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  return [
    `| path (${result.samples} sequential reads each) | p50 | p99 |`,
    '| --- | --- | --- |',
    `| GET /v1/customers/{id} through the local twin | ${ms(result.api.p50)} | ${ms(result.api.p99)} |`,
    `| bare GetItem, same item, same DynamoDB Local | ${ms(result.bare.p50)} | ${ms(result.bare.p99)} |`,
    `| ratio | ${ratio(result.api.p50, result.bare.p50)} | ${ratio(result.api.p99, result.bare.p99)} |`,
  ].join('\n');
}
