import { describe, expect, it } from 'vitest';
import {
  type StoredContactItem,
  type StoredProjection,
  type StoredReferralItem,
  caseProjection,
  contactItemsToTrim,
  convertedReferralsToTrim,
  overviewSections,
} from '../../shared/domain/customer-overview';
import { projectionSortKey } from '../../shared/data/customer-overview-repo';
import type { Case } from '../../shared/schemas/case';

const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 10, day, hour)).toISOString();
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const thirtyDays = 30 * 24 * 60 * 60;

function contactItem(contactId: string, startedAt: string, status: 'open' | 'closed' = 'open'): StoredContactItem {
  return {
    sk: projectionSortKey.contact(startedAt, contactId),
    contact: { contactId, status, channel: 'voice', direction: 'inbound', purpose: 'service', startedAt },
  };
}

function aCase(overrides: Partial<Case> = {}): Case {
  return {
    caseId: 'cas_01',
    type: 'complaint',
    severity: 'high',
    category: 'billing',
    subject: 'Charged twice',
    description: 'My card was charged twice',
    customerId: 'cus_01',
    contactIds: [],
    assignee: 'agent:mei',
    status: 'in_progress',
    sla: {
      firstResponse: { startedAt: at(1), dueAt: at(2), metAt: at(1, 12) },
      resolution: { startedAt: at(1), dueAt: at(16) },
    },
    breached: false,
    escalations: [],
    openedAt: at(1),
    version: 3,
    createdAt: at(1),
    updatedAt: at(3),
    ...overrides,
  };
}

const referral = (referralId: string, status: StoredReferralItem['status'], madeAt: string, extra: Partial<StoredReferralItem> = {}): StoredReferralItem => ({
  sk: projectionSortKey.referral(referralId),
  referralId,
  contactId: 'con_1',
  product: 'Fibre',
  status,
  madeAt,
  ...extra,
});

const emptyProjection: StoredProjection = { contacts: [], cases: [], referrals: [] };

describe('sort keys', () => {
  it('put every projection item between the case links and the profile, so one Query from OV# to PROFILE reads them all', () => {
    const keys = [
      projectionSortKey.contact(at(1), 'con_1'),
      projectionSortKey.case('cas_1'),
      projectionSortKey.referral('ref_1'),
      projectionSortKey.survey(),
    ];
    for (const sk of keys) {
      expect(sk > 'CASE#cas_zzz').toBe(true);
      expect(sk >= 'OV#' && sk <= 'PROFILE').toBe(true);
    }
    expect('TXN#2026' > 'PROFILE').toBe(true);
  });
});

describe('contact items to trim', () => {
  it('keeps the latest ten by start time and deletes the rest', () => {
    const items = Array.from({ length: 12 }, (_, i) => contactItem(`con_${i}`, at(i + 1)));
    expect(contactItemsToTrim(items)).toEqual([items[0]!.sk, items[1]!.sk]);
    expect(contactItemsToTrim(items.slice(0, 10))).toEqual([]);
  });

  it('keeps the closed item of a contact whose start moved between its opening and its closing', () => {
    const opened = contactItem('con_moved', at(5), 'open');
    const closed = contactItem('con_moved', at(4), 'closed');
    expect(contactItemsToTrim([opened, closed])).toEqual([opened.sk]);
    expect(contactItemsToTrim([closed, opened])).toEqual([opened.sk]);
  });

  it('counts a contact once toward the ten', () => {
    const items = [...Array.from({ length: 10 }, (_, i) => contactItem(`con_${i}`, at(i + 1))), contactItem('con_9', at(20), 'closed')];
    // con_9's closed item (newest) and nine others stay; con_9's open item and nothing else goes.
    expect(contactItemsToTrim(items)).toEqual([items[9]!.sk]);
  });
});

describe('case projection', () => {
  it('carries the version that guards its write, and no subject or description', () => {
    const projection = caseProjection(aCase());
    expect(projection.caseVersion).toBe(3);
    expect(projection.expiresAt).toBeUndefined();
    expect(projection.summary).toEqual({
      caseId: 'cas_01',
      type: 'complaint',
      severity: 'high',
      category: 'billing',
      status: 'in_progress',
      assignee: 'agent:mei',
      openedAt: at(1),
      breached: false,
      sla: { firstResponse: { dueAt: at(2), metAt: at(1, 12) }, resolution: { dueAt: at(16) } },
    });
    expect(JSON.stringify(projection)).not.toMatch(/Charged twice|charged twice/);
  });

  it('expires a finished case 30 days after it finished, and a reopen (a newer version) removes the expiry', () => {
    const resolved = caseProjection(aCase({ status: 'resolved', resolvedAt: at(10), updatedAt: at(10), version: 4 }));
    expect(resolved.expiresAt).toBe(epoch(at(10)) + thirtyDays);
    const closed = caseProjection(aCase({ status: 'closed', closedAt: at(11), updatedAt: at(11), version: 5 }));
    expect(closed.expiresAt).toBe(epoch(at(11)) + thirtyDays);
    const reopened = caseProjection(aCase({ status: 'open', reopenedAt: at(12), updatedAt: at(12), version: 6 }));
    expect(reopened.expiresAt).toBeUndefined();
    expect(reopened.caseVersion).toBeGreaterThan(closed.caseVersion);
  });
});

describe('converted referrals to trim', () => {
  it('keeps the latest twenty converted by conversion time, and never touches open or lost ones', () => {
    const converted = Array.from({ length: 22 }, (_, i) => referral(`ref_c${String(i).padStart(2, '0')}`, 'converted', at(1), { settledAt: at(i + 2) }));
    const others = [referral('ref_open', 'open', at(1)), referral('ref_lost', 'lost', at(1), { settledAt: at(1, 10) })];
    expect(convertedReferralsToTrim([...others, ...converted])).toEqual([converted[1]!.sk, converted[0]!.sk]);
  });
});

describe('overview sections', () => {
  const now = epoch(at(20));

  it('shows ten contacts newest first, one per contact, the closed one when both are stored', () => {
    const contacts = [
      ...Array.from({ length: 11 }, (_, i) => contactItem(`con_${i}`, at(i + 1))),
      contactItem('con_10', at(15), 'closed'),
    ];
    const { recentContacts } = overviewSections({ ...emptyProjection, contacts }, now);
    expect(recentContacts.map((c) => c.contactId)).toEqual(['con_10', 'con_9', 'con_8', 'con_7', 'con_6', 'con_5', 'con_4', 'con_3', 'con_2', 'con_1']);
    expect(recentContacts[0]!.status).toBe('closed');
  });

  it('shows only unfinished, unexpired cases, newest first', () => {
    const summary = (caseId: string, status: Case['status']) => caseProjection(aCase({ caseId, status })).summary;
    const cases: StoredProjection['cases'] = [
      { summary: summary('cas_01', 'open'), status: 'open' },
      { summary: summary('cas_03', 'awaiting_customer'), status: 'awaiting_customer' },
      { summary: summary('cas_02', 'resolved'), status: 'resolved', expiresAt: now + 100 },
      // Not yet deleted by TTL, and somehow unfinished: past its expiry, it is not shown either.
      { summary: summary('cas_04', 'open'), status: 'open', expiresAt: now - 1 },
    ];
    expect(overviewSections({ ...emptyProjection, cases }, now).openCases.map((c) => c.caseId)).toEqual(['cas_03', 'cas_01']);
  });

  it('splits referrals into open and converted, newest first, without lost ones or storage attributes', () => {
    const referrals = [
      referral('ref_a', 'open', at(1)),
      referral('ref_b', 'open', at(3)),
      referral('ref_c', 'converted', at(2), { settledAt: at(4), value: { amount: 10, currency: 'TWD' } }),
      referral('ref_d', 'lost', at(5), { settledAt: at(6), expiresAt: now + 1000 }),
      // Converted before its Referral Made arrived: sorted by its conversion meanwhile.
      referral('ref_e', 'converted', at(2), { madeAt: undefined, settledAt: at(7) }),
    ];
    const sections = overviewSections({ ...emptyProjection, referrals }, now);
    expect(sections.referrals.open.map((r) => r.referralId)).toEqual(['ref_b', 'ref_a']);
    expect(sections.referrals.converted.map((r) => r.referralId)).toEqual(['ref_e', 'ref_c']);
    expect(sections.referrals.open[0]).not.toHaveProperty('sk');
  });

  it('answers an empty history with empty sections and no survey', () => {
    expect(overviewSections(emptyProjection, now)).toEqual({
      recentContacts: [],
      openCases: [],
      latestSurvey: null,
      referrals: { open: [], converted: [] },
    });
  });
});
