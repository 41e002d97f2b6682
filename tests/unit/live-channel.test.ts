import { describe, expect, it } from 'vitest';
import { offeredToken } from '../../functions/live-authorizer/handler';
import { connectCallerNumber, deadlineWarning, deadlineWarningDue, liveMessageOf, screenPop, wantedDeadlineWarnings } from '../../shared/domain/live';
import { live } from '../../shared/http/functions';
import type { Case } from '../../shared/schemas/case';
import { readLiveMessage, reconnectDelayMs, liveUrl } from '../../web/src/live/live-client';
import { invalidateFor, screenPopPath } from '../../web/src/live/live-effects';

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

function aCase(overrides: Partial<Case> = {}): Case {
  return {
    caseId: 'cas_1',
    type: 'complaint',
    severity: 'medium',
    category: 'billing',
    subject: 'Charged twice',
    customerId: 'cus_1',
    contactIds: [],
    status: 'open',
    sla: {
      firstResponse: { startedAt: '2026-03-02T01:00:00.000Z', dueAt: '2026-03-02T05:00:00.000Z' },
      resolution: { startedAt: '2026-03-02T01:00:00.000Z', dueAt: '2026-03-04T01:00:00.000Z' },
    },
    breached: false,
    escalations: [],
    openedAt: '2026-03-02T01:00:00.000Z',
    version: 1,
    createdAt: '2026-03-02T01:00:00.000Z',
    updatedAt: '2026-03-02T01:00:00.000Z',
    ...overrides,
  } as Case;
}

describe('whom a case event reaches', () => {
  it('tells the new assignee, the one who lost the case, and supervisors and admins of an assignment', () => {
    const pushed = liveMessageOf({ detailType: 'Case Assigned', data: { caseId: 'cas_1', assignee: 'mei', previousAssignee: 'tom' } }, undefined);
    expect(pushed?.message).toEqual({ type: 'case.assigned', caseId: 'cas_1', assignee: 'mei' });
    expect(pushed?.audience).toEqual({ agentIds: ['mei', 'tom'], roles: ['supervisor', 'admin'] });
  });

  it('tells the case’s current assignee of a status change, and no one else but supervisors', () => {
    const pushed = liveMessageOf({ detailType: 'Case Status Changed', data: { caseId: 'cas_1' } }, 'mei');
    expect(pushed).toEqual({ message: { type: 'case.updated', caseId: 'cas_1', reason: 'status' }, audience: { agentIds: ['mei'], roles: ['supervisor', 'admin'] } });
  });

  it('treats a case opened with an assignee as an assignment, and one without as news for supervisors', () => {
    expect(liveMessageOf({ detailType: 'Case Opened', data: { caseId: 'cas_1', assignee: 'mei' } }, undefined)?.message.type).toBe('case.assigned');
    expect(liveMessageOf({ detailType: 'Case Opened', data: { caseId: 'cas_1' } }, undefined)?.audience.agentIds).toEqual([]);
  });
});

describe('deadline warnings', () => {
  it('are wanted 30 minutes before each running deadline, and at once when it is nearer', () => {
    const wanted = wantedDeadlineWarnings(aCase(), new Date('2026-03-02T04:50:00.000Z'));
    expect(wanted.firstResponse).toEqual({ at: new Date('2026-03-02T04:50:00.000Z'), dueAt: '2026-03-02T05:00:00.000Z' });
    expect(wanted.resolution).toEqual({ at: new Date('2026-03-04T00:30:00.000Z'), dueAt: '2026-03-04T01:00:00.000Z' });
  });

  it('are not wanted for a deadline met, breached, past or of a finished case', () => {
    const met = aCase({ sla: { ...aCase().sla, firstResponse: { ...aCase().sla.firstResponse, metAt: '2026-03-02T02:00:00.000Z' } } });
    expect(wantedDeadlineWarnings(met, new Date('2026-03-02T02:00:00.000Z')).firstResponse).toBeUndefined();
    expect(wantedDeadlineWarnings(aCase(), new Date('2026-03-02T06:00:00.000Z')).firstResponse).toBeUndefined();
    expect(wantedDeadlineWarnings(aCase({ status: 'resolved' }), new Date('2026-03-02T02:00:00.000Z'))).toEqual({});
  });

  it('are stale once the deadline moved, and go to supervisors when no one has the case', () => {
    const payload = { tenantId: 'ten_1', caseId: 'cas_1', kind: 'firstResponse' as const, dueAt: '2026-03-02T05:00:00.000Z' };
    expect(deadlineWarningDue(aCase(), payload)).toBe(true);
    expect(deadlineWarningDue(aCase(), { ...payload, dueAt: '2026-03-02T04:00:00.000Z' })).toBe(false);
    expect(deadlineWarningDue(undefined, payload)).toBe(false);
    expect(deadlineWarning(aCase(), 'firstResponse').audience).toEqual({ agentIds: [], roles: ['supervisor', 'admin'] });
    expect(deadlineWarning(aCase({ assignee: 'mei' }), 'firstResponse')).toEqual({
      message: { type: 'case.deadline-near', caseId: 'cas_1', deadline: 'firstResponse', dueAt: '2026-03-02T05:00:00.000Z' },
      audience: { agentIds: ['mei'], roles: [] },
    });
  });
});

describe('the screen pop from Amazon Connect', () => {
  it('takes the caller’s E.164 number from the event when it carries one', () => {
    expect(connectCallerNumber({ customerEndpoint: { type: 'TELEPHONE_NUMBER', address: '+886912345678' } })).toBe('+886912345678');
    expect(connectCallerNumber({ CustomerEndpoint: { Address: '+886912345678' } })).toBe('+886912345678');
    expect(connectCallerNumber({ customerEndpoint: { type: 'VOIP', address: 'sip:someone' } })).toBeUndefined();
    expect(connectCallerNumber({ customerEndpoint: { type: 'TELEPHONE_NUMBER', address: 'anonymous' } })).toBeUndefined();
    expect(connectCallerNumber({})).toBeUndefined();
  });

  it('opens the contract’s pop URL with the contact and the number', () => {
    const message = screenPop({ contactId: 'con_1', phone: '+886912345678' });
    expect(message).toEqual({ type: 'screen-pop', contactId: 'con_1', phone: '+886912345678' });
    expect(screenPopPath(message as Extract<typeof message, { type: 'screen-pop' }>)).toBe('/desk/pop?contactId=con_1&phone=%2B886912345678');
    expect(screenPopPath({ type: 'screen-pop', contactId: 'con_1' })).toBe('/desk/pop?contactId=con_1');
  });
});

describe('the console’s end of the channel', () => {
  it('invalidates the desk’s query keys a case message makes stale, and nothing for a pop', () => {
    const invalidated: unknown[] = [];
    const client = { invalidateQueries: (filters: { queryKey: unknown[] }) => void invalidated.push(filters.queryKey) } as never;
    invalidateFor(client, { type: 'case.updated', caseId: 'cas_9', reason: 'status' });
    expect(invalidated).toEqual([['cases'], ['case', 'cas_9'], ['customer-overview']]);
    invalidated.length = 0;
    invalidateFor(client, { type: 'screen-pop', contactId: 'con_1' });
    expect(invalidated).toEqual([]);
  });

  it('backs off 1, 2, 4 … seconds up to 30, with jitter', () => {
    expect([1, 2, 3, 6, 10].map((attempt) => reconnectDelayMs(attempt, () => 0))).toEqual([1_000, 2_000, 4_000, 30_000, 30_000]);
    expect(reconnectDelayMs(1, () => 0.99)).toBeLessThanOrEqual(1_330);
  });

  it('reads only the contract’s messages', () => {
    expect(readLiveMessage('{"type":"case.assigned","caseId":"cas_1","assignee":"mei"}')).toEqual({ type: 'case.assigned', caseId: 'cas_1', assignee: 'mei' });
    expect(readLiveMessage('{"type":"something.new"}')).toBeUndefined();
    expect(readLiveMessage('not json')).toBeUndefined();
  });

  it('opens the channel on the console’s own origin, wss behind TLS', () => {
    expect(liveUrl({ protocol: 'https:', host: 'desk.example.com' })).toBe(`wss://desk.example.com${live.path}`);
    expect(liveUrl({ protocol: 'http:', host: 'localhost:3000' })).toBe('ws://localhost:3000/live');
  });

  it('offers the token as a subprotocol beside the channel’s, and nothing else is taken', () => {
    expect(offeredToken({ 'Sec-WebSocket-Protocol': `${live.protocol}, ${live.tokenPrefix}${jwt}` })).toBe(jwt);
    expect(offeredToken({ 'sec-websocket-protocol': `${live.tokenPrefix}${jwt}` })).toBeUndefined();
    expect(offeredToken({ 'sec-websocket-protocol': `${live.protocol}, ${live.tokenPrefix}key_abc.def.ghi.jkl` })).toBeUndefined();
    expect(offeredToken({})).toBeUndefined();
  });
});
