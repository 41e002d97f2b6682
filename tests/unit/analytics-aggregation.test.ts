import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { conflictAttempts, handler } from '../../functions/analytics-aggregate/handler';
import { type Aggregation, aggregationOf, countedDetailTypes } from '../../shared/domain/analytics/aggregation';
import { type Counters, analyticsShards } from '../../shared/domain/analytics/counters';
import { analyticsKeys, counterUpdates } from '../../shared/data/analytics-repo';
import { CaseOpened, CaseResolved, CaseSlaBreached, CaseStatusChanged } from '../../shared/events/case-events';
import type { EventDefinition } from '../../shared/events/catalog';
import { contactClosed, referralConverted, referralLost, referralMade } from '../../shared/events/contact-events';
import { newEvent } from '../../shared/events/events';
import { subscriptions } from '../../shared/events/subscriptions';
import { surveyCompleted, surveySent } from '../../shared/events/survey-events';
import type * as z from '../../shared/zod';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.TABLE_NAME = 'switchboard-unit';
});

const tenantId = 'ten_01JAGGREGATIONTEST0000000';

function aggregate<Data extends z.ZodMiniType>(definition: EventDefinition<string, Data>, data: z.input<Data>, occurredAt?: string): Aggregation | undefined {
  const event = newEvent(definition, tenantId, data, occurredAt);
  return aggregationOf(event as Parameters<typeof aggregationOf>[0]);
}

/** dimension:value → counters, for comparing with what a person computed by hand. */
const byDimension = (aggregation: Aggregation | undefined) =>
  Object.fromEntries((aggregation?.increments ?? []).map(({ dimension, value, counters }) => [`${dimension}:${value}`, counters]));

const closedContact = {
  contactId: 'con_01JAGGREGATIONCONTACT0000',
  status: 'closed',
  channel: 'voice',
  direction: 'inbound',
  purpose: 'service',
  startedAt: '2026-11-20T10:05:00.000Z',
  closedAt: '2026-11-20T10:30:00.000Z',
} as const;

describe('Contact Closed', () => {
  it('counts an abandoned call in its queue and channel, with its time in queue, and nothing answered', () => {
    const aggregation = aggregate(contactClosed, {
      ...closedContact,
      queue: 'billing',
      queuedAt: '2026-11-20T10:05:00.000Z',
      endedAt: '2026-11-20T10:06:30.000Z',
      outcome: 'abandoned',
    });
    const expected: Counters = { offered: 1, inbound: 1, queued: 1, abandoned: 1, abandonedInQueue: 1, queueSeconds: 90 };
    expect(aggregation?.at).toBe('2026-11-20T10:05:00.000Z');
    expect(byDimension(aggregation)).toEqual({ 'all:*': expected, 'queue:billing': expected, 'channel:voice': expected });
    expect(aggregation?.openCasesDelta).toBe(0);
  });

  it('counts an answered, transferred call per agent and reason with its wait, talk, after-contact work and handle seconds', () => {
    const aggregation = aggregate(contactClosed, {
      ...closedContact,
      queue: 'sales',
      agentId: 'agent-7',
      reasonCode: 'billing',
      queuedAt: '2026-11-20T10:05:00.000Z',
      answeredAt: '2026-11-20T10:05:40.000Z',
      endedAt: '2026-11-20T10:09:40.000Z',
      afterContactWorkEndedAt: '2026-11-20T10:10:40.000Z',
      outcome: 'transferred',
      firstContactResolution: false,
    });
    const expected: Counters = {
      offered: 1,
      inbound: 1,
      queued: 1,
      answered: 1,
      transferred: 1,
      waitSecondsAnswered: 40,
      queueSeconds: 40,
      talkSeconds: 240,
      afterContactWorkSeconds: 60,
      handleSeconds: 300,
      answeredWithin45: 1,
      answeredWithin60: 1,
      answeredWithin90: 1,
      answeredWithin120: 1,
      answeredWithin180: 1,
      answeredWithin300: 1,
    };
    expect(byDimension(aggregation)).toEqual({
      'all:*': expected,
      'queue:sales': expected,
      'agent:agent-7': expected,
      'channel:voice': expected,
      'reason:billing': expected,
    });
  });

  it('counts a call answered after 18 s within 20 s but not within 15 s', () => {
    const counters = byDimension(
      aggregate(contactClosed, {
        ...closedContact,
        queuedAt: '2026-11-20T10:05:00.000Z',
        answeredAt: '2026-11-20T10:05:18.000Z',
        endedAt: '2026-11-20T10:07:00.000Z',
        outcome: 'resolved',
        firstContactResolution: true,
      }),
    )['all:*']!;
    expect(counters).toMatchObject({ answered: 1, waitSecondsAnswered: 18, firstContactResolved: 1, answeredWithin20: 1, answeredWithin300: 1 });
    expect(counters.answeredWithin15).toBeUndefined();
    expect(counters.answeredWithin10).toBeUndefined();
    expect(counters.abandonedInQueue).toBeUndefined();
  });

  it('counts a contact queued at 23:50 UTC and closed the next day on the day it arrived', () => {
    const aggregation = aggregate(contactClosed, {
      ...closedContact,
      startedAt: '2026-11-20T23:50:00.000Z',
      queuedAt: '2026-11-20T23:50:00.000Z',
      answeredAt: '2026-11-21T00:05:00.000Z',
      endedAt: '2026-11-21T00:20:00.000Z',
      closedAt: '2026-11-21T00:25:00.000Z',
      outcome: 'resolved',
    });
    expect(aggregation?.at).toBe('2026-11-20T23:50:00.000Z');
    const [allItem] = counterUpdates(tenantId, 'evt_1', aggregation!.at, aggregation!.increments);
    const pk = String(allItem?.Update?.Key?.pk);
    expect(pk).toMatch(new RegExp(`^T#${tenantId}#AGG#all#2026-11-20#[0-${analyticsShards - 1}]$`));
    expect(allItem?.Update?.Key?.sk).toBe('23:30#*');
    expect(allItem?.Update?.ExpressionAttributeValues?.[':slotStart']).toBe('2026-11-20T23:30:00.000Z');
  });

  it('counts an unqueued outbound contact in its start slot, offered but not inbound or queued', () => {
    const aggregation = aggregate(contactClosed, {
      ...closedContact,
      direction: 'outbound',
      startedAt: '2026-11-20T11:00:00.000Z',
      answeredAt: '2026-11-20T11:00:00.000Z',
      endedAt: '2026-11-20T11:02:00.000Z',
      outcome: 'resolved',
    });
    expect(aggregation?.at).toBe('2026-11-20T11:00:00.000Z');
    expect(byDimension(aggregation)['all:*']).toEqual({ offered: 1, answered: 1, talkSeconds: 120, handleSeconds: 120 });
  });
});

describe('surveys', () => {
  const ref = { surveyId: 'svy_1', contactId: 'con_1', queue: 'billing', agentId: 'agent-7', channel: 'voice' };

  it('counts a sent survey at sentAt per queue, agent and channel', () => {
    const aggregation = aggregate(surveySent, {
      ...ref,
      deliveryChannel: 'sms',
      templateId: 'tpl_1',
      templateVersion: 1,
      sentAt: '2026-11-20T12:10:00.000Z',
      expiresAt: '2026-11-23T12:10:00.000Z',
    });
    expect(aggregation?.at).toBe('2026-11-20T12:10:00.000Z');
    expect(byDimension(aggregation)).toEqual({
      'all:*': { surveysSent: 1 },
      'queue:billing': { surveysSent: 1 },
      'agent:agent-7': { surveysSent: 1 },
      'channel:voice': { surveysSent: 1 },
    });
  });

  it('counts the answered scores of a completed survey and leaves skipped ones out', () => {
    const completed = (scores: Record<string, number | null>) =>
      byDimension(
        aggregate(surveyCompleted, { ...ref, templateId: 'tpl_1', templateVersion: 1, completedAt: '2026-11-20T12:40:00.000Z', scores }),
      )['all:*'];
    expect(completed({ csat: 5, nps: null, ces: 6 })).toEqual({
      surveysCompleted: 1,
      csatResponses: 1,
      csatSatisfied: 1,
      cesResponses: 1,
      cesSum: 6,
      cesAgree: 1,
    });
    expect(completed({ csat: 3, nps: 9, ces: 4 })).toEqual({
      surveysCompleted: 1,
      csatResponses: 1,
      npsResponses: 1,
      npsPromoters: 1,
      cesResponses: 1,
      cesSum: 4,
    });
    expect(completed({ nps: 6 })).toEqual({ surveysCompleted: 1, npsResponses: 1, npsDetractors: 1 });
    expect(completed({ nps: 7, csat: null, ces: null })).toEqual({ surveysCompleted: 1, npsResponses: 1 });
  });
});

describe('cases', () => {
  const caseRef = { caseId: 'cas_1', customerId: 'cus_1' };

  it('counts an opened case for its assignee and adds it to the backlog', () => {
    const aggregation = aggregate(
      CaseOpened,
      {
        ...caseRef,
        type: 'complaint',
        severity: 'medium',
        category: 'billing',
        assignee: 'agent-3',
        contactIds: [],
        firstResponseDueAt: '2026-11-21T10:00:00.000Z',
        resolutionDueAt: '2026-12-05T10:00:00.000Z',
      },
      '2026-11-20T10:00:00.000Z',
    );
    expect(aggregation).toMatchObject({ at: '2026-11-20T10:00:00.000Z', openCasesDelta: 1 });
    expect(byDimension(aggregation)).toEqual({ 'all:*': { casesOpened: 1 }, 'agent:agent-3': { casesOpened: 1 } });
  });

  it('counts the agent a contact names and the agent a case is assigned to as one agent, and a queue assignee as no agent', () => {
    const opened = (assignee: string) =>
      aggregate(
        CaseOpened,
        {
          ...caseRef,
          type: 'complaint',
          severity: 'medium',
          category: 'billing',
          assignee,
          contactIds: [],
          firstResponseDueAt: '2026-11-21T10:00:00.000Z',
          resolutionDueAt: '2026-12-05T10:00:00.000Z',
        },
        '2026-11-20T10:00:00.000Z',
      );
    const contact = aggregate(contactClosed, { ...closedContact, agentId: 'agent-2', outcome: 'resolved' });
    const agentRows = [contact, opened('agent:agent-2'), opened('agent-2')].flatMap((aggregation) =>
      (aggregation?.increments ?? []).filter((increment) => increment.dimension === 'agent').map((increment) => increment.value),
    );
    // Stored before agent ids were one, `agent:agent-2` is the same agent as `agent-2`: one row, not two.
    expect(agentRows).toEqual(['agent-2', 'agent-2', 'agent-2']);
    expect(byDimension(opened('queue:complaints'))).toEqual({ 'all:*': { casesOpened: 1 } });
  });

  it('takes a case off the backlog when it finishes, puts it back on a reopen, and ignores other moves', () => {
    const changed = (from: string, to: string) =>
      aggregate(CaseStatusChanged, { ...caseRef, from: from as never, to: to as never }, '2026-11-20T15:00:00.000Z');
    expect(changed('in_progress', 'resolved')).toEqual({ at: '2026-11-20T15:00:00.000Z', increments: [], openCasesDelta: -1 });
    expect(changed('awaiting_customer', 'resolved')?.openCasesDelta).toBe(-1);
    expect(changed('resolved', 'closed')).toBeUndefined();
    expect(changed('open', 'in_progress')).toBeUndefined();
    const reopened = changed('closed', 'open');
    expect(reopened?.openCasesDelta).toBe(1);
    expect(byDimension(reopened)).toEqual({ 'all:*': { casesReopened: 1 } });
  });

  it('dates a breach at its deadline and counts a resolution within SLA only when nothing was breached', () => {
    const breach = aggregate(
      CaseSlaBreached,
      { ...caseRef, type: 'complaint', kind: 'firstResponse', dueAt: '2026-11-21T10:00:00.000Z', severity: 'high', escalated: true },
      '2026-11-21T10:07:00.000Z',
    );
    expect(breach?.at).toBe('2026-11-21T10:00:00.000Z');
    expect(byDimension(breach)).toEqual({ 'all:*': { casesSlaBreaches: 1 } });

    const resolved = (firstResponseBreached: boolean, resolutionBreached: boolean) =>
      aggregate(CaseResolved, {
        ...caseRef,
        type: 'complaint',
        severity: 'medium',
        openedAt: '2026-11-20T10:00:00.000Z',
        resolvedAt: '2026-11-22T09:00:00.000Z',
        firstResponseBreached,
        resolutionBreached,
      });
    expect(resolved(false, false)?.at).toBe('2026-11-22T09:00:00.000Z');
    expect(byDimension(resolved(false, false))).toEqual({ 'all:*': { casesResolved: 1, casesResolvedWithinSla: 1 } });
    expect(byDimension(resolved(true, false))).toEqual({ 'all:*': { casesResolved: 1 } });
    expect(byDimension(resolved(false, true))).toEqual({ 'all:*': { casesResolved: 1 } });
  });
});

describe('referrals', () => {
  const referral = { contactId: 'con_1', referralId: 'ref_1', product: 'Fibre 1G', referredBy: 'agent-7' };

  it('counts made, converted with its value in thousandths of its currency, and lost, for the referring agent', () => {
    const made = aggregate(referralMade, { ...referral, madeAt: '2026-11-20T10:10:00.000Z' });
    expect(made?.at).toBe('2026-11-20T10:10:00.000Z');
    expect(byDimension(made)).toEqual({ 'all:*': { referralsMade: 1 }, 'agent:agent-7': { referralsMade: 1 } });

    const converted = aggregate(referralConverted, { ...referral, value: { amount: 1299.995, currency: 'TWD' }, convertedAt: '2026-11-21T09:00:00.000Z' });
    expect(converted?.at).toBe('2026-11-21T09:00:00.000Z');
    expect(byDimension(converted)['agent:agent-7']).toEqual({ referralsConverted: 1, 'referralValueMilli:TWD': 1_299_995 });

    const lost = aggregate(referralLost, { ...referral, referredBy: undefined, lostAt: '2026-11-21T09:30:00.000Z' });
    expect(byDimension(lost)).toEqual({ 'all:*': { referralsLost: 1 } });
  });
});

describe('the analytics subscription', () => {
  it('delivers exactly the detail-types the mapping counts, to analytics-aggregate', () => {
    const analytics = subscriptions.filter((subscription) => subscription.consumer === 'analytics-aggregate');
    expect(analytics).toHaveLength(1);
    expect([...(analytics[0]!.pattern['detail-type'] ?? [])].sort()).toEqual([...countedDetailTypes].sort());
  });
});

describe('the open-case backlog', () => {
  it("is one item in the tenant's own partition", () => {
    expect(analyticsKeys.liveCases(tenantId)).toEqual({ pk: `T#${tenantId}#AGG#LIVE`, sk: 'CASES' });
  });
});

describe('the analytics-aggregate consumer', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  afterAll(() => dynamo.restore());
  beforeEach(() => dynamo.reset());

  const context = { functionName: 'switchboard-test-analytics-aggregate', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
  const opened = newEvent(CaseOpened, tenantId, {
    caseId: 'cas_1',
    customerId: 'cus_1',
    type: 'complaint',
    severity: 'medium',
    category: 'billing',
    contactIds: [],
    firstResponseDueAt: '2026-11-21T10:00:00.000Z',
    resolutionDueAt: '2026-12-05T10:00:00.000Z',
  });
  const busEvent: EventBridgeEvent<string, unknown> = {
    version: '0',
    id: 'bus-1',
    source: 'switchboard',
    'detail-type': opened.detailType,
    account: '000000000000',
    time: opened.detail.occurredAt,
    region: 'local',
    resources: [],
    detail: opened.detail,
  };
  const conflict = () =>
    new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }, { Code: 'None' }],
    });

  it('writes the marker, the counters and the backlog in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await handler(busEvent, context);
    const calls = dynamo.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    const items = (calls[0]!.args[0].input as TransactWriteCommandInput).TransactItems!;
    expect(items.map((item) => item.Put?.Item?.pk ?? item.Update?.Key?.pk)).toEqual([
      `T#${tenantId}#DONE#analytics-aggregate#${opened.detail.eventId}`,
      expect.stringMatching(new RegExp(`^T#${tenantId}#AGG#all#\\d{4}-\\d{2}-\\d{2}#[0-3]$`)),
      `T#${tenantId}#AGG#LIVE`,
    ]);
    expect(items[2]!.Update?.ExpressionAttributeValues?.[':delta']).toBe(1);
  });

  it('records a late count on the UTC day of a slot that began more than two hours ago, in the same transaction, so its rollups are made again', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const occurredAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
    await handler({ ...busEvent, id: 'bus-late', detail: { ...opened.detail, eventId: 'evt_late', occurredAt } }, context);
    const items = (dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input as TransactWriteCommandInput).TransactItems!;
    const late = items.find((item) => item.Update?.Key?.pk === `T#${tenantId}#AGG#LATE`);
    expect(late?.Update?.Key?.sk).toBe(occurredAt.slice(0, 7));
    expect(late?.Update?.ExpressionAttributeNames?.['#day']).toBe(`d${occurredAt.slice(8, 10)}`);
    expect(late?.Update?.UpdateExpression).toContain('ADD #day :one');
  });

  it('tries again when another transaction holds the same counter item, and gives up to the bus after a few attempts', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(conflict()).rejectsOnce(conflict()).resolves({});
    await handler(busEvent, context);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(3);

    dynamo.reset();
    dynamo.on(TransactWriteCommand).rejects(conflict());
    await expect(handler(busEvent, context)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(conflictAttempts);
  });
});
