import type { Case, CaseStatus } from '../schemas/case';
import { type LatestSurveyScores, type OpenCaseSummary, type OverviewContact, type OverviewReferral, overviewLimits } from '../schemas/customer-overview';

/**
 * The customer overview's projection, decided here and stored by shared/data/customer-overview-repo.ts:
 * what each item holds, what a late or repeated event may replace, which items are trimmed, and how
 * the stored items become the answer. Pure.
 */

const finishedCaseStatuses = new Set<CaseStatus>(['resolved', 'closed']);
export const isFinishedCase = (status: CaseStatus) => finishedCaseStatuses.has(status);

const settledRetentionSeconds = overviewLimits.settledRetentionDays * 24 * 60 * 60;
/** The TTL (epoch seconds) of an item settled at `settledAt`: a finished case, a lost referral. */
export const settledExpiry = (settledAt: string) => Math.floor(Date.parse(settledAt) / 1000) + settledRetentionSeconds;

/**
 * A case's overview item, from the case as stored: its version guards the write (an older state never
 * replaces a newer one), and a finished case expires so that it drops out while a reopen (a newer
 * version, unfinished) puts it back without expiry.
 */
export function caseProjection(c: Case): { caseVersion: number; status: CaseStatus; summary: OpenCaseSummary; expiresAt?: number } {
  const deadline = ({ dueAt, metAt, breachedAt }: Case['sla']['firstResponse']) => ({
    dueAt,
    ...(metAt !== undefined && { metAt }),
    ...(breachedAt !== undefined && { breachedAt }),
  });
  const summary: OpenCaseSummary = {
    caseId: c.caseId,
    type: c.type,
    severity: c.severity,
    category: c.category,
    status: c.status,
    ...(c.assignee !== undefined && { assignee: c.assignee }),
    openedAt: c.openedAt,
    breached: c.breached,
    sla: { firstResponse: deadline(c.sla.firstResponse), resolution: deadline(c.sla.resolution) },
  };
  return {
    caseVersion: c.version,
    status: c.status,
    summary,
    ...(isFinishedCase(c.status) && { expiresAt: settledExpiry(c.updatedAt) }),
  };
}

export interface StoredContactItem {
  /** The item's key in the customer's partition; keys sort by the contact's start time (shared/data/customer-overview-repo.ts). */
  sk: string;
  contact: OverviewContact;
}

/**
 * The contact items to delete after a write: a second item of the same contact (its start time moved
 * between Contact Opened and Contact Closed; the closed one stays), and everything beyond the latest
 * `keep` by start time.
 */
export function contactItemsToTrim(items: readonly StoredContactItem[], keep: number = overviewLimits.recentContacts): string[] {
  const kept = keptContacts(items);
  const keptKeys = new Set(kept.slice(0, keep).map((item) => item.sk));
  return items.filter((item) => !keptKeys.has(item.sk)).map((item) => item.sk);
}

/** One item per contact (the closed one if there is one, else the newest), newest first. */
function keptContacts(items: readonly StoredContactItem[]): StoredContactItem[] {
  const byContact = new Map<string, StoredContactItem>();
  for (const item of [...items].sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0))) {
    const chosen = byContact.get(item.contact.contactId);
    if (!chosen || (chosen.contact.status !== 'closed' && item.contact.status === 'closed')) byContact.set(item.contact.contactId, item);
  }
  return [...byContact.values()].sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
}

export type StoredReferralItem = OverviewReferral & { sk: string; expiresAt?: number };

const referralTime = (referral: OverviewReferral) => referral.madeAt ?? referral.settledAt ?? '';
const newestReferralFirst = (a: OverviewReferral, b: OverviewReferral) =>
  referralTime(a) < referralTime(b) ? 1 : referralTime(a) > referralTime(b) ? -1 : a.referralId < b.referralId ? 1 : -1;

/** The converted referral items beyond the latest `keep` (by conversion time), to delete. */
export function convertedReferralsToTrim(items: readonly StoredReferralItem[], keep: number = overviewLimits.convertedReferrals): string[] {
  const time = (item: StoredReferralItem) => item.settledAt ?? item.madeAt ?? '';
  return items
    .filter((item) => item.status === 'converted')
    .sort((a, b) => (time(a) < time(b) ? 1 : time(a) > time(b) ? -1 : a.referralId < b.referralId ? 1 : -1))
    .slice(keep)
    .map((item) => item.sk);
}

export interface StoredProjection {
  contacts: StoredContactItem[];
  cases: { summary: OpenCaseSummary; status: CaseStatus; expiresAt?: number }[];
  referrals: StoredReferralItem[];
  survey?: LatestSurveyScores;
}

export interface OverviewSections {
  recentContacts: OverviewContact[];
  openCases: OpenCaseSummary[];
  latestSurvey: LatestSurveyScores | null;
  referrals: { open: OverviewReferral[]; converted: OverviewReferral[] };
}

/**
 * The answer's sections from the stored items. Expired items are left out here too: DynamoDB deletes
 * them by TTL only within a few days, and DynamoDB Local never does.
 */
export function overviewSections(stored: StoredProjection, nowEpochSeconds: number): OverviewSections {
  const live = (item: { expiresAt?: number }) => item.expiresAt === undefined || item.expiresAt > nowEpochSeconds;
  const referrals = stored.referrals
    .filter(live)
    .sort(newestReferralFirst)
    .map(({ sk: _sk, expiresAt: _expiresAt, ...referral }) => referral);
  return {
    recentContacts: keptContacts(stored.contacts)
      .slice(0, overviewLimits.recentContacts)
      .map((item) => item.contact),
    openCases: stored.cases
      .filter((item) => live(item) && !isFinishedCase(item.status))
      .map((item) => item.summary)
      .sort((a, b) => (a.caseId < b.caseId ? 1 : -1)),
    latestSurvey: stored.survey ?? null,
    referrals: {
      open: referrals.filter((referral) => referral.status === 'open'),
      converted: referrals.filter((referral) => referral.status === 'converted').slice(0, overviewLimits.convertedReferrals),
    },
  };
}

/** The free-text answers of a survey, in the template's order: what the customer said in their own words. */
export function surveyWords(
  template: { questions: readonly { questionId: string; type: string }[] },
  answers: Readonly<Record<string, unknown>>,
): string[] {
  return template.questions
    .filter((question) => question.type === 'freeText')
    .map((question) => answers[question.questionId])
    .filter((answer): answer is string => typeof answer === 'string' && answer.trim().length > 0)
    .map((answer) => answer.trim());
}
