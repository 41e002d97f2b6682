import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../../../infra/local/dynamodb';
import { testDatabase } from '../twin';

/**
 * Every item key of this test file's table, as `pk|sk`. A Scan, which no product code may use:
 * here it proves that a refused request wrote nothing anywhere. Request counters (`#RATE#`) are
 * left out: counting a refused request is their job.
 */
export function tableKeys(): () => Promise<Set<string>> {
  const { endpoint, tableName } = testDatabase();
  const client = new DynamoDBClient({ ...localClientConfig, endpoint });
  return async () => {
    const found = new Set<string>();
    let start: Record<string, never> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: tableName, ProjectionExpression: 'pk, sk, version', ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) {
        const pk = item.pk?.S ?? '';
        if (pk.includes('#RATE#')) continue;
        found.add(`${pk}|${item.sk?.S ?? ''}|${item.version?.N ?? ''}`);
      }
      start = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start);
    return found;
  };
}

export const difference = (after: Set<string>, before: Set<string>) => [...after].filter((key) => !before.has(key));
