import { BatchGetCommand, type BatchGetCommandInput, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryListed } from '../../shared/data/listed-items';
import { tableDefinition } from '../../shared/data/table';

/**
 * Lists on keys-only indexes (issue 15): the Query names the items, BatchGetItem reads them, and
 * what was a FilterExpression is applied to the items read, in the index's order.
 */
describe('queryListed', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const table = 'switchboard-unit';
  const entry = (id: string) => ({ pk: `T#t#CON#${id}`, sk: 'CONTACT', gsi3pk: 'T#t#AGENT#a#CONTACTS', gsi3sk: `2026-12-05T10:00:0${id}Z#${id}` });
  const item = (id: string, queue: string) => ({ ...entry(id), contactId: id, queue });
  beforeAll(() => {
    process.env.TABLE_NAME = table;
  });
  beforeEach(() => dynamo.reset());
  afterAll(() => dynamo.restore());

  it('every index of the table projects its keys only', () => {
    expect(tableDefinition.globalSecondaryIndexes.map((index) => [index.indexName, index.projection])).toEqual([
      ['gsi1-keys', 'KEYS_ONLY'],
      ['gsi2-keys', 'KEYS_ONLY'],
      ['gsi3-keys', 'KEYS_ONLY'],
    ]);
  });

  it('reads the index for keys, then the items, in the index order, keeping only what the filter keeps', async () => {
    const last = entry('1');
    dynamo.on(QueryCommand).resolves({ Items: [entry('4'), entry('3'), entry('2'), entry('1')], LastEvaluatedKey: last, ScannedCount: 4 });
    // BatchGetItem answers in any order, and leaves a key for a second request.
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [table]: [item('1', 'billing'), item('4', 'sales'), item('3', 'billing')] }, UnprocessedKeys: { [table]: { Keys: [{ pk: entry('2').pk, sk: 'CONTACT' }] } } })
      .resolvesOnce({ Responses: { [table]: [item('2', 'billing')] } });

    const page = await queryListed({
      list: 'gsi3',
      keyCondition: 'gsi3pk = :pk',
      values: { ':pk': 'T#t#AGENT#a#CONTACTS' },
      limit: 4,
      newestFirst: true,
      keep: (found) => found.queue === 'billing',
    });

    expect(page.items.map((found) => found.contactId)).toEqual(['3', '2', '1']);
    expect(page.lastKey).toEqual(last);
    expect(page.scanned).toBe(4);
    const query = dynamo.commandCalls(QueryCommand)[0]!.args[0].input as QueryCommandInput;
    expect(query).toMatchObject({ IndexName: 'gsi3-keys', KeyConditionExpression: 'gsi3pk = :pk', Limit: 4, ScanIndexForward: false });
    expect(query.FilterExpression).toBeUndefined();
    const reads = dynamo.commandCalls(BatchGetCommand).map((call) => (call.args[0].input as BatchGetCommandInput).RequestItems![table]!.Keys);
    expect(reads).toEqual([[entry('4'), entry('3'), entry('2'), entry('1')].map(({ pk, sk }) => ({ pk, sk })), [{ pk: entry('2').pk, sk: 'CONTACT' }]]);
  });

  it('leaves out an item deleted between the two reads, and reads only the attributes asked, with pk and sk', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [entry('1'), entry('2')] });
    dynamo.on(BatchGetCommand).resolves({ Responses: { [table]: [{ pk: entry('2').pk, sk: 'CONTACT', contactId: '2' }] } });

    const page = await queryListed({ list: 'gsi2', keyCondition: 'gsi2pk = :pk', values: { ':pk': 'p' }, attributes: { expression: 'contactId' } });

    expect(page.items).toEqual([{ pk: entry('2').pk, sk: 'CONTACT', contactId: '2' }]);
    expect(page.lastKey).toBeUndefined();
    const read = (dynamo.commandCalls(BatchGetCommand)[0]!.args[0].input as BatchGetCommandInput).RequestItems![table]!;
    expect(read.ProjectionExpression).toBe('pk, sk, contactId');
    expect((dynamo.commandCalls(QueryCommand)[0]!.args[0].input as QueryCommandInput).IndexName).toBe('gsi2-keys');
  });

  it('reads nothing more when the index holds nothing', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    expect(await queryListed({ list: 'gsi1', keyCondition: 'gsi1pk = :pk', values: { ':pk': 'p' } })).toEqual({ items: [], scanned: 0 });
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(0);
  });
});
