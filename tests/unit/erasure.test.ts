import { describe, expect, it } from 'vitest';
import {
  type ErasedCase,
  type ErasedContact,
  erasedText,
  erasureChanges,
  scrubCase,
  scrubContact,
  scrubReferral,
  scrubSurvey,
  scrubTimelineEntry,
} from '../../shared/domain/erasure';
import type { Survey } from '../../shared/schemas/survey';
import type { TimelineEntry } from '../../shared/schemas/case';
import type { Referral } from '../../shared/schemas/contact';

const erasedAt = '2026-11-22T12:00:00.000Z';
const later = '2026-11-23T08:00:00.000Z';

const contact: ErasedContact = {
  contactId: 'con_01JABCDEFGHJKMNPQRSTVWXYZ0',
  status: 'closed',
  channel: 'voice',
  direction: 'inbound',
  purpose: 'service',
  queue: 'billing',
  agentId: 'agent-7',
  reasonCode: 'billing',
  customerId: 'cus_01JABCDEFGHJKMNPQRSTVWXYZ0',
  phone: '+886912345678',
  queuedAt: '2026-11-20T09:00:00.000Z',
  answeredAt: '2026-11-20T09:01:00.000Z',
  endedAt: '2026-11-20T09:06:00.000Z',
  startedAt: '2026-11-20T09:00:00.000Z',
  waitSeconds: 60,
  handleSeconds: 300,
  outcome: 'resolved',
  firstContactResolution: true,
  notes: 'Mrs Lin at 12 Roosevelt Rd asked about her refund',
  closedAt: '2026-11-20T09:06:00.000Z',
  version: 3,
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-20T09:06:00.000Z',
};

const complaint: ErasedCase = {
  caseId: 'cas_01JABCDEFGHJKMNPQRSTVWXYZ0',
  type: 'complaint',
  severity: 'high',
  category: 'billing',
  subject: 'Mrs Lin charged twice',
  description: 'Card ending 4242 was charged twice for order 991',
  customerId: 'cus_01JABCDEFGHJKMNPQRSTVWXYZ0',
  contactIds: ['con_01JABCDEFGHJKMNPQRSTVWXYZ0'],
  assignee: 'agent-7',
  status: 'resolved',
  sla: {
    firstResponse: { startedAt: '2026-11-20T09:00:00.000Z', dueAt: '2026-11-20T13:00:00.000Z', metAt: '2026-11-20T10:00:00.000Z' },
    resolution: { startedAt: '2026-11-20T09:00:00.000Z', dueAt: '2026-11-22T09:00:00.000Z' },
  },
  breached: false,
  escalations: [],
  serviceRecovery: {
    apologyGiven: true,
    remedy: 'Refund to Mrs Lin by bank transfer',
    compensation: { type: 'refund', amount: 1200, currency: 'TWD' },
    followUp: { customerSatisfied: true, checkedAt: '2026-11-21T09:00:00.000Z' },
  },
  openedAt: '2026-11-20T09:00:00.000Z',
  resolvedAt: '2026-11-21T09:00:00.000Z',
  version: 5,
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-21T09:00:00.000Z',
};

const personal = ['Mrs Lin', 'Roosevelt', '+886912345678', '4242', 'bank transfer'];
const expectNoPersonalData = (value: unknown) => {
  for (const text of personal) expect(JSON.stringify(value)).not.toContain(text);
};

describe('scrubbing a contact', () => {
  it('removes notes and phone, keeps every operational figure, and marks when', () => {
    const scrubbed = scrubContact(contact, erasedAt);
    expectNoPersonalData(scrubbed);
    expect(scrubbed).not.toHaveProperty('notes');
    expect(scrubbed).not.toHaveProperty('phone');
    const { notes: _notes, phone: _phone, ...operational } = contact;
    expect(scrubbed).toEqual({ ...operational, personalDataErasedAt: erasedAt });
  });

  it('changes nothing the second time, even later', () => {
    const once = scrubContact(contact, erasedAt);
    expect(scrubContact(once, later)).toEqual(once);
    expect(erasureChanges(once, scrubContact(once, later))).toBeUndefined();
  });

  it('asks to remove notes and phone and to set the mark, nothing else', () => {
    expect(erasureChanges(contact, scrubContact(contact, erasedAt))).toEqual({
      set: { personalDataErasedAt: erasedAt },
      remove: ['phone', 'notes'],
    });
  });
});

describe('scrubbing a referral', () => {
  const lost: Referral = {
    referralId: 'ref_01JABCDEFGHJKMNPQRSTVWXYZ0',
    contactId: contact.contactId,
    product: 'Premium plan',
    note: 'Mrs Lin wants a call after 6pm',
    assignedTo: 'sales-2',
    referredBy: 'agent-7',
    status: 'lost',
    lostReason: 'Mrs Lin moved to Roosevelt Rd and left',
    settledAt: '2026-11-21T10:00:00.000Z',
    version: 2,
    createdAt: '2026-11-20T09:03:00.000Z',
    updatedAt: '2026-11-21T10:00:00.000Z',
  };

  it('removes the note, replaces the lost reason, keeps product, people, status and times', () => {
    const scrubbed = scrubReferral(lost);
    expectNoPersonalData(scrubbed);
    const { note: _note, ...kept } = lost;
    expect(scrubbed).toEqual({ ...kept, lostReason: erasedText });
    expect(scrubReferral(scrubbed)).toEqual(scrubbed);
  });

  it('keeps a converted referral value and adds no lost reason', () => {
    const converted: Referral = { ...lost, status: 'converted', value: { amount: 900, currency: 'TWD' }, lostReason: undefined };
    delete converted.lostReason;
    const scrubbed = scrubReferral(converted);
    expect(scrubbed.value).toEqual({ amount: 900, currency: 'TWD' });
    expect(scrubbed).not.toHaveProperty('lostReason');
    expect(scrubbed).not.toHaveProperty('note');
  });
});

describe('scrubbing a case', () => {
  it('replaces subject, description and remedy, keeps type, status, deadlines and amounts', () => {
    const scrubbed = scrubCase(complaint, erasedAt);
    expectNoPersonalData(scrubbed);
    expect(scrubbed).toEqual({
      ...complaint,
      subject: erasedText,
      description: erasedText,
      serviceRecovery: { ...complaint.serviceRecovery, remedy: erasedText },
      personalDataErasedAt: erasedAt,
    });
    expect(erasureChanges(complaint, scrubbed)).toEqual({
      set: {
        subject: erasedText,
        description: erasedText,
        serviceRecovery: { ...complaint.serviceRecovery, remedy: erasedText },
        personalDataErasedAt: erasedAt,
      },
      remove: [],
    });
  });

  it('adds no description or remedy a case did not have', () => {
    const { description: _d, serviceRecovery: _s, ...plain } = complaint;
    const scrubbed = scrubCase(plain, erasedAt);
    expect(scrubbed).not.toHaveProperty('description');
    expect(scrubbed).not.toHaveProperty('serviceRecovery');
    const withoutRemedy = scrubCase({ ...plain, serviceRecovery: { apologyGiven: false } }, erasedAt);
    expect(withoutRemedy.serviceRecovery).toEqual({ apologyGiven: false });
  });

  it('changes nothing the second time', () => {
    const once = scrubCase(complaint, erasedAt);
    expect(erasureChanges(once, scrubCase(once, later))).toBeUndefined();
  });
});

describe('scrubbing a timeline entry', () => {
  const entry = (fields: Partial<TimelineEntry>): TimelineEntry => ({
    entryId: 'tle_01JABCDEFGHJKMNPQRSTVWXYZ0',
    type: 'note',
    at: '2026-11-20T10:00:00.000Z',
    actor: 'key_01JABCDEFGHJKMNPQRSTVWXYZ0',
    ...fields,
  });

  it('replaces note and reply text and a status-change reason', () => {
    expect(scrubTimelineEntry(entry({ text: 'Called Mrs Lin', visibility: 'customer' }))).toEqual(
      entry({ text: erasedText, visibility: 'customer' }),
    );
    expect(scrubTimelineEntry(entry({ type: 'customer_reply', text: 'My card 4242', channel: 'sms' }))).toEqual(
      entry({ type: 'customer_reply', text: erasedText, channel: 'sms' }),
    );
    expect(scrubTimelineEntry(entry({ type: 'status_change', from: 'open', to: 'resolved', reason: 'Mrs Lin refunded' }))).toEqual(
      entry({ type: 'status_change', from: 'open', to: 'resolved', reason: erasedText }),
    );
  });

  it("drops an e-mail reply's kept attachments (their files are deleted) and erases the refused ones' names, once", () => {
    const mail = entry({
      type: 'customer_reply',
      channel: 'email',
      text: 'See my passport',
      subject: 'Lin Mei, passport',
      attachments: [{ attachmentId: 'att_01JABCDEFGHJKMNPQRSTVWXYZ0', name: 'lin-mei-passport.pdf', type: 'application/pdf', size: 1200 }],
      refusedAttachments: [{ name: 'lin-mei-video.mp4', type: 'video/mp4', size: 99_000_000, reason: 'too-large' }],
    });
    const scrubbed = scrubTimelineEntry(mail);
    expect(scrubbed).toEqual(
      entry({
        type: 'customer_reply',
        channel: 'email',
        text: erasedText,
        subject: erasedText,
        refusedAttachments: [{ name: erasedText, type: 'video/mp4', size: 99_000_000, reason: 'too-large' }],
      }),
    );
    expect(erasureChanges(mail, scrubbed)?.remove).toEqual(['attachments']);
    expect(erasureChanges(scrubbed, scrubTimelineEntry(scrubbed))).toBeUndefined();
  });

  it('leaves entries without free text as they are', () => {
    const breach = entry({ type: 'sla_breached', kind: 'resolution', dueAt: '2026-11-22T09:00:00.000Z', severity: 'high' });
    expect(erasureChanges(breach, scrubTimelineEntry(breach))).toBeUndefined();
    const note = scrubTimelineEntry(entry({ text: 'Called Mrs Lin' }));
    expect(erasureChanges(note, scrubTimelineEntry(note))).toBeUndefined();
  });
});

describe('an erased customer\'s survey', () => {
  const survey: Survey = {
    surveyId: 'svy_1',
    contactId: 'con_1',
    customerId: 'cus_1',
    channel: 'chat',
    origin: 'ad-hoc',
    status: 'completed',
    deliveryChannel: 'link',
    answers: { csat: 2, improve: 'The wait was long, said Mrs Chen', resolved: false, nps: null },
    version: 3,
    createdAt: erasedAt,
    updatedAt: erasedAt,
  };

  it('keeps its scores and replaces its free text, once', () => {
    const scrubbed = scrubSurvey(survey, later)!;
    expect(scrubbed).toEqual({ ...survey, answers: { csat: 2, improve: erasedText, resolved: false, nps: null }, version: 4, updatedAt: later });
    expect(scrubSurvey(scrubbed, later)).toBeUndefined();
  });

  it('expires a link still open, so that it can no longer be used, and leaves a finished survey without free text alone', () => {
    const open: Survey = { ...survey, status: 'sent', answers: {} };
    expect(scrubSurvey(open, later)).toMatchObject({ status: 'expired', expiredAt: later, version: 4 });
    expect(scrubSurvey({ ...survey, answers: { csat: 5 } }, later)).toBeUndefined();
  });
});
