import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient} from '@aws-sdk/lib-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type CaseDueBackfillCount, backfillCaseDueKeys } from '../../infra/tools/case-due-backfill';
import { caseKeys } from '../../shared/data/cases-repo';
import { type CreatedTenant, type TestTwin, api, createTenant, startTestTwin, testTableClient } from '../support/twin';

/**
 * infra/tools/case-due-backfill.ts on the twin: cases stored with the assignee index's old sort
 * key (`gsi3sk = <caseId>`, no team-queue partition) are missing from My work, the queues and the
 * workload until the backfill gives them `DUE#<nearest deadline>#<caseId>`.
 */
let twin: TestTwin;
let acme: CreatedTenant;
let client: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  twin = await startTestTwin();
  acme = await createTenant(twin, { name: 'Acme Support' });
  ({ client, tableName } = testTableClient());
});
afterAll(async () => {
  client.destroy();
  await twin.close();
});

const tenantId = () => acme.tenant.tenantId;
const get = async (path: string) => (await api(twin.url, 'GET', path, { key: acme.apiKey })).body;
const queueIds = async (query: string) => ((await get(`/v1/case-queue?limit=100${query}`)).items as { caseId: string }[]).map((c) => c.caseId);
const stored = async (caseId: string) => (await client.send(new GetCommand({ TableName: tableName, Key: caseKeys.case(tenantId(), caseId), ConsistentRead: true }))).Item!;

async function openCase(fields: Record<string, unknown>): Promise<string> {
  const customer = await api(twin.url, 'POST', '/v1/customers', { key: acme.apiKey, body: { displayName: 'Backfill customer' } });
  const opened = await api(twin.url, 'POST', '/v1/cases', { key: acme.apiKey, body: { type: 'inquiry', category: 'billing', subject: 'Old case', customerId: customer.body.customerId, ...fields } });
  expect(opened.status).toBe(201);
  return opened.body.caseId as string;
}

/** The item as the code before the desk wrote it: an assigned case sorted by its id, an unassigned one in no gsi3 partition. */
async function toOldLayout(caseId: string, assigned: boolean): Promise<void> {
  await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: caseKeys.case(tenantId(), caseId),
      ...(assigned ? { UpdateExpression: 'SET gsi3sk = :id', ExpressionAttributeValues: { ':id': caseId } } : { UpdateExpression: 'REMOVE gsi3pk, gsi3sk' }),
    }),
  );
}

describe('the case-due backfill', () => {
  it('gives old cases their deadline keys, only in a real run, resumes from its cursor, and a second run changes nothing', async () => {
    const urgent = await openCase({ severity: 'critical', assignee: 'queue:old-desk' });
    const later = await openCase({ severity: 'low', assignee: 'queue:old-desk' });
    const unassigned = await openCase({ severity: 'medium' });
    await toOldLayout(urgent, true);
    await toOldLayout(later, true);
    await toOldLayout(unassigned, false);
    const etag = (await api(twin.url, 'GET', `/v1/cases/${urgent}`, { key: acme.apiKey })).headers.get('etag');
    expect(await queueIds('&queue=old-desk')).toEqual([]);
    expect(await queueIds('')).not.toContain(unassigned);

    const dryRun = await backfillCaseDueKeys(tenantId(), { dryRun: true });
    expect(dryRun).toEqual({ cases: 3, rewritten: 3, changedMeanwhile: 0 });
    expect((await stored(urgent)).gsi3sk, 'a dry run writes nothing').toBe(urgent);

    // A run stopped after its first page, then resumed from the cursor it printed.
    let cursor: string | undefined;
    const stop = new Error('stopped');
    await expect(
      backfillCaseDueKeys(tenantId(), {
        pageSize: 1,
        onPage: (_count, next) => {
          cursor = next;
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
    expect(cursor).toBeDefined();
    const resumed = await backfillCaseDueKeys(tenantId(), { from: cursor!, pageSize: 1 });
    expect(resumed).toEqual<CaseDueBackfillCount>({ cases: 2, rewritten: 2, changedMeanwhile: 0 });

    expect((await stored(urgent)).gsi3sk).toMatch(new RegExp(`^DUE#\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z#${urgent}$`));
    expect(await queueIds('&queue=old-desk'), 'nearest deadline first').toEqual([urgent, later]);
    expect(await queueIds('')).toContain(unassigned);
    expect((await api(twin.url, 'GET', `/v1/cases/${urgent}`, { key: acme.apiKey })).headers.get('etag'), 'the version does not move').toBe(etag);

    expect(await backfillCaseDueKeys(tenantId())).toEqual({ cases: 3, rewritten: 0, changedMeanwhile: 0 });
  });

  it('refuses a cursor it did not print', async () => {
    await expect(backfillCaseDueKeys(tenantId(), { from: 'not-a-cursor' })).rejects.toThrow('--from is not a cursor');
  });
});
