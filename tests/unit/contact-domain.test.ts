import { describe, expect, it } from 'vitest';
import {
  ContactNotOpen,
  InvalidContact,
  ReferralNotOpen,
  ResolvedWithoutAnswer,
  closeContact,
  contactSummary,
  listingWindow,
  newContact,
  newReferral,
  patchContact,
  settleReferral,
} from '../../shared/domain/contact';
import { contactClosed } from '../../shared/events/contact-events';
import { newEvent } from '../../shared/events/events';
import { CreateContactBody } from '../../shared/schemas/contact';
import type { ReasonCode } from '../../shared/schemas/settings';

const reasonCodes: ReasonCode[] = [
  { code: 'billing', label: { en: 'Billing', 'zh-TW': '帳務' }, active: true },
  { code: 'legacy', label: { en: 'Old' }, active: false },
];
const context = { contactId: 'con_01JABCDEFGHJKMNPQRSTVWXYZ0', now: '2026-11-22T10:00:00.000Z', reasonCodes };
const call = { channel: 'voice', direction: 'inbound', purpose: 'service' } as const;

/** The field paths a refused contact names. */
function refusedPaths(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof InvalidContact) return error.errors.map((e) => e.path).sort();
    throw error;
  }
  throw new Error('expected the contact to be refused');
}

describe('derived figures', () => {
  it('computes wait and handle seconds from the times, including after-contact work', () => {
    const contact = newContact(
      {
        ...call,
        queuedAt: '2026-11-22T09:00:00+08:00', // 01:00:00Z
        answeredAt: '2026-11-22T01:02:05Z', // waited 2 min 5 s
        endedAt: '2026-11-22T01:10:35Z', // talked 8 min 30 s
        afterContactWorkEndedAt: '2026-11-22T01:12:00Z', // wrap-up 1 min 25 s
      },
      {},
      context,
    );
    expect(contact.waitSeconds).toBe(125);
    expect(contact.handleSeconds).toBe(510 + 85);
    expect(contact.queuedAt).toBe('2026-11-22T01:00:00.000Z');
    expect(contact.startedAt).toBe('2026-11-22T01:00:00.000Z');
  });

  it('counts handle time to the end of the conversation when there was no after-contact work', () => {
    const contact = newContact(
      { ...call, queuedAt: '2026-11-22T01:00:00Z', answeredAt: '2026-11-22T01:00:00Z', endedAt: '2026-11-22T01:03:20Z' },
      {},
      context,
    );
    expect(contact.waitSeconds).toBe(0);
    expect(contact.handleSeconds).toBe(200);
  });

  it('gives an abandoned contact its time to abandon as wait, and no handle time', () => {
    const contact = newContact(
      { ...call, queuedAt: '2026-11-22T01:00:00Z', endedAt: '2026-11-22T01:00:47Z', outcome: 'abandoned' },
      {},
      context,
    );
    expect(contact.waitSeconds).toBe(47);
    expect(contact).not.toHaveProperty('handleSeconds');
  });

  it('has no figures it cannot know, and starts when it was logged when it has no times', () => {
    const contact = newContact({ ...call, channel: 'email' }, {}, context);
    expect(contact).not.toHaveProperty('waitSeconds');
    expect(contact).not.toHaveProperty('handleSeconds');
    expect(contact.startedAt).toBe(context.now);
  });

  it('never takes the figures from input', () => {
    const parsed = CreateContactBody.safeParse({ ...call, waitSeconds: 1, handleSeconds: 2 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('waitSeconds');
  });

  it('follows changed times on a patch', () => {
    const contact = newContact({ ...call, queuedAt: '2026-11-22T01:00:00Z', answeredAt: '2026-11-22T01:00:30Z' }, {}, context);
    const patched = patchContact(contact, { endedAt: '2026-11-22T01:05:30Z', answeredAt: '2026-11-22T01:01:00Z' }, undefined, context);
    expect(patched).toMatchObject({ waitSeconds: 60, handleSeconds: 270, version: 2 });
  });
});

describe('validation', () => {
  it('refuses an end before the answer or the queue, naming endedAt', () => {
    expect(
      refusedPaths(() => newContact({ ...call, queuedAt: '2026-11-22T01:00:00Z', answeredAt: '2026-11-22T01:01:00Z', endedAt: '2026-11-22T01:00:30Z' }, {}, context)),
    ).toEqual(['$.endedAt']);
    expect(refusedPaths(() => newContact({ ...call, queuedAt: '2026-11-22T01:00:00Z', endedAt: '2026-11-22T00:59:59Z' }, {}, context))).toEqual([
      '$.endedAt',
    ]);
  });

  it('refuses an answer before the queue, and wrap-up before the end or without one', () => {
    expect(refusedPaths(() => newContact({ ...call, queuedAt: '2026-11-22T01:00:00Z', answeredAt: '2026-11-22T00:59:00Z' }, {}, context))).toEqual([
      '$.answeredAt',
    ]);
    expect(
      refusedPaths(() => newContact({ ...call, endedAt: '2026-11-22T01:00:00Z', afterContactWorkEndedAt: '2026-11-22T00:59:00Z' }, {}, context)),
    ).toEqual(['$.afterContactWorkEndedAt']);
    expect(refusedPaths(() => newContact({ ...call, afterContactWorkEndedAt: '2026-11-22T00:59:00Z' }, {}, context))).toEqual([
      '$.afterContactWorkEndedAt',
    ]);
  });

  it('needs queuedAt for an answered inbound contact, but not for an outbound one', () => {
    expect(refusedPaths(() => newContact({ ...call, answeredAt: '2026-11-22T01:00:00Z' }, {}, context))).toEqual(['$.answeredAt']);
    const outbound = newContact({ ...call, direction: 'outbound', answeredAt: '2026-11-22T01:00:00Z', endedAt: '2026-11-22T01:01:00Z' }, {}, context);
    expect(outbound).toMatchObject({ handleSeconds: 60 });
    expect(outbound).not.toHaveProperty('waitSeconds');
  });

  it('refuses an abandoned contact that was answered, and first-contact resolution without resolution', () => {
    expect(
      refusedPaths(() =>
        newContact({ ...call, queuedAt: '2026-11-22T01:00:00Z', answeredAt: '2026-11-22T01:00:10Z', outcome: 'abandoned' }, {}, context),
      ),
    ).toEqual(['$.outcome']);
    expect(refusedPaths(() => newContact({ ...call, outcome: 'transferred', firstContactResolution: true }, {}, context))).toEqual([
      '$.firstContactResolution',
    ]);
  });

  it('takes only active codes of the taxonomy, and says so when there is none', () => {
    expect(newContact({ ...call, reasonCode: 'billing' }, {}, context).reasonCode).toBe('billing');
    expect(refusedPaths(() => newContact({ ...call, reasonCode: 'nope' }, {}, context))).toEqual(['$.reasonCode']);
    expect(refusedPaths(() => newContact({ ...call, reasonCode: 'legacy' }, {}, context))).toEqual(['$.reasonCode']);
    try {
      newContact({ ...call, reasonCode: 'billing' }, {}, { ...context, reasonCodes: [] });
      expect.unreachable();
    } catch (error) {
      expect((error as InvalidContact).errors[0]?.message).toContain('settings.reasonCodes');
    }
  });

  it('keeps a code retired after it was given, while other fields change', () => {
    const contact = newContact({ ...call, reasonCode: 'billing' }, {}, context);
    const retired = reasonCodes.map((code) => ({ ...code, active: false }));
    const patched = patchContact(contact, { queue: 'vip' }, undefined, { ...context, reasonCodes: retired });
    expect(patched).toMatchObject({ reasonCode: 'billing', queue: 'vip' });
  });
});

describe('closing', () => {
  const open = newContact({ ...call, queuedAt: '2026-11-22T01:00:00Z', answeredAt: '2026-11-22T01:00:20Z' }, { customerId: 'cus_1' }, context);
  const closing = { ...context, now: '2026-11-22T01:06:20Z', requireOutcome: true };

  it('ends the contact at the close when it has no end, and moves the version once', () => {
    const closed = closeContact(open, { outcome: 'resolved', firstContactResolution: true }, closing);
    expect(closed).toMatchObject({
      status: 'closed',
      endedAt: '2026-11-22T01:06:20Z',
      closedAt: '2026-11-22T01:06:20Z',
      handleSeconds: 360,
      waitSeconds: 20,
      version: 2,
    });
  });

  it('requires an outcome through the API, but not from an ingestion that cannot know one', () => {
    expect(refusedPaths(() => closeContact(open, undefined, closing))).toEqual(['$.outcome']);
    expect(closeContact(open, undefined, { ...closing, requireOutcome: false }).status).toBe('closed');
  });

  it('refuses to patch or close a closed contact', () => {
    const closed = closeContact(open, { outcome: 'resolved' }, closing);
    expect(() => patchContact(closed, { queue: 'x' }, undefined, context)).toThrow(ContactNotOpen);
    expect(() => closeContact(closed, { outcome: 'resolved' }, closing)).toThrow(ContactNotOpen);
  });

  it('refuses to resolve a contact that was queued and never answered, naming outcome and answeredAt', () => {
    const waited = newContact({ ...call, queuedAt: '2026-11-22T01:00:00Z' }, {}, context);
    let refusal: unknown;
    try {
      closeContact(waited, { outcome: 'resolved', firstContactResolution: true }, closing);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ResolvedWithoutAnswer);
    expect((refusal as ResolvedWithoutAnswer).errors.map((e) => e.path)).toEqual(['$.outcome', '$.answeredAt']);
    // Set beforehand and closed without a body: the same refusal.
    const preset = patchContact(waited, { outcome: 'resolved' }, undefined, context);
    expect(() => closeContact(preset, undefined, closing)).toThrow(ResolvedWithoutAnswer);
    // Abandoned (or unresolved) is what it was; answered, or never queued (a walk-in), it may be resolved.
    expect(closeContact(waited, { outcome: 'abandoned' }, closing)).toMatchObject({ status: 'closed', outcome: 'abandoned', waitSeconds: 380 });
    expect(closeContact(waited, { outcome: 'unresolved' }, closing).outcome).toBe('unresolved');
    expect(closeContact(open, { outcome: 'resolved' }, closing).outcome).toBe('resolved');
    const walkIn = newContact({ channel: 'walk_in', direction: 'inbound', purpose: 'service' }, {}, context);
    expect(closeContact(walkIn, { outcome: 'resolved' }, { ...closing, now: '2026-11-22T10:05:00Z' }).outcome).toBe('resolved');
  });

  it('summarizes for events without notes or phone', () => {
    const noted = newContact({ ...call, notes: 'Customer said their PIN is 1234' }, { phone: '+886912345678' }, context);
    const closed = closeContact(noted, { outcome: 'unresolved' }, closing);
    const summary = contactSummary(closed);
    expect(JSON.stringify(summary)).not.toContain('1234');
    expect(JSON.stringify(summary)).not.toContain('+886');
    const event = newEvent(contactClosed, 'ten_1', { ...summary, status: 'closed', closedAt: closing.now });
    expect(event.detail.data).toMatchObject({ contactId: closed.contactId, outcome: 'unresolved', status: 'closed' });
  });
});

describe('referrals', () => {
  const open = newContact({ ...call, agentId: 'agent-7' }, {}, context);
  const referral = newReferral(open, 0, { product: 'Fibre 1G' }, { referralId: 'ref_1', now: context.now });

  it('start open, remembering the referring agent', () => {
    expect(referral).toMatchObject({ status: 'open', referredBy: 'agent-7', version: 1 });
  });

  it('are settled once, converted with a value or lost with a reason', () => {
    const converted = settleReferral(referral, { status: 'converted', value: { amount: 1200, currency: 'TWD' } }, '2026-12-01T00:00:00Z');
    expect(converted).toMatchObject({ status: 'converted', value: { amount: 1200, currency: 'TWD' }, version: 2 });
    expect(() => settleReferral(converted, { status: 'lost', reason: 'x' }, context.now)).toThrow(ReferralNotOpen);
    expect(settleReferral(referral, { status: 'lost', reason: 'Too expensive' }, context.now)).toMatchObject({
      status: 'lost',
      lostReason: 'Too expensive',
    });
  });

  it('are not made on a closed contact, nor beyond the limit', () => {
    const closed = closeContact(open, { outcome: 'resolved' }, { ...context, requireOutcome: true });
    expect(() => newReferral(closed, 0, { product: 'x' }, { referralId: 'ref_2', now: context.now })).toThrow(ContactNotOpen);
    expect(() => newReferral(open, 20, { product: 'x' }, { referralId: 'ref_2', now: context.now })).toThrow(InvalidContact);
  });
});

describe('list windows', () => {
  const now = '2026-11-22T10:00:00.000Z';

  it('default to the last 7 days, newest day first', () => {
    const window = listingWindow({}, now);
    expect(window).toMatchObject({ from: '2026-11-15T10:00:00.000Z', to: now });
    expect(window.days).toEqual(['2026-11-22', '2026-11-21', '2026-11-20', '2026-11-19', '2026-11-18', '2026-11-17', '2026-11-16', '2026-11-15']);
  });

  it('read the days of the range in UTC, leaving out a day that only the exclusive end touches', () => {
    const window = listingWindow({ from: '2026-11-01T07:00:00+08:00', to: '2026-11-03T00:00:00Z' }, now);
    expect(window.days).toEqual(['2026-11-02', '2026-11-01', '2026-10-31']);
  });

  it('span at most 31 days tenant-wide, but any range by customer or agent', () => {
    expect(refusedPaths(() => listingWindow({ from: '2026-10-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }, now))).toEqual(['query.from']);
    expect(listingWindow({ from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' }, now).days).toHaveLength(31);
    expect(listingWindow({ from: '2020-01-01T00:00:00Z', customerId: 'cus_1' }, now)).toEqual({ from: '2020-01-01T00:00:00.000Z' });
  });
});
