import * as z from 'zod';
import { ContactSummary } from '../events/contact-events';
import { Iso8601 } from './common';
import { CaseStatus, CaseType, Severity } from './case';
import { Money, ReferralStatus } from './contact';
import { Customer } from './customer';

/** How much of the customer's history the overview projection keeps (docs/data-model.md, "Customer overview"). */
export const overviewLimits = {
  recentContacts: 10,
  convertedReferrals: 20,
  /** A finished case or a lost referral stays this long (TTL), so that a late event cannot bring it back. */
  settledRetentionDays: 30,
} as const;

const eventuallyConsistent =
  'Read from a projection the customer-overview-projection consumer keeps from events: a change made a moment ago may not show yet.';

export const OverviewContact = ContactSummary.meta({ id: 'OverviewContact' });
export type OverviewContact = z.infer<typeof OverviewContact>;

const DeadlineState = z.object({
  dueAt: Iso8601,
  metAt: Iso8601.optional(),
  breachedAt: Iso8601.optional(),
});

export const OpenCaseSummary = z
  .object({
    caseId: z.string(),
    type: CaseType,
    severity: Severity,
    category: z.string(),
    status: CaseStatus,
    assignee: z.string().optional(),
    openedAt: Iso8601,
    breached: z.boolean(),
    sla: z.object({ firstResponse: DeadlineState, resolution: DeadlineState }),
  })
  .meta({ id: 'OpenCaseSummary' });
export type OpenCaseSummary = z.infer<typeof OpenCaseSummary>;

const nullableScore = z.number().nullable().optional();

export const SurveyScores = z.object({
  csat: nullableScore,
  nps: nullableScore,
  ces: nullableScore,
  resolved: z.boolean().nullable().optional(),
  dimensions: z.record(z.string(), z.number().nullable()).optional(),
});
export type SurveyScores = z.infer<typeof SurveyScores>;

export const LatestSurveyScores = z
  .object({
    surveyId: z.string(),
    contactId: z.string(),
    completedAt: Iso8601,
    templateId: z.string().optional(),
    templateVersion: z.number().int().optional(),
    scores: SurveyScores,
  })
  .meta({ id: 'LatestSurveyScores' });
export type LatestSurveyScores = z.infer<typeof LatestSurveyScores>;

export const OverviewReferral = z
  .object({
    referralId: z.string(),
    contactId: z.string(),
    product: z.string(),
    status: ReferralStatus,
    referredBy: z.string().optional(),
    assignedTo: z.string().optional(),
    value: Money.optional(),
    madeAt: Iso8601.optional(),
    settledAt: Iso8601.optional().describe('When it was converted'),
  })
  .meta({ id: 'OverviewReferral' });
export type OverviewReferral = z.infer<typeof OverviewReferral>;

export const CustomerOverview = z
  .object({
    customer: Customer.describe(
      'The profile with its consent and, once computed, its value (segment, scores, tier, lifetime value), as GET /v1/customers/{customerId} shows it; always current',
    ),
    recentContacts: z
      .array(OverviewContact)
      .describe(`The latest ${overviewLimits.recentContacts} contacts by start time, newest first; no notes and no phone number`),
    openCases: z
      .array(OpenCaseSummary)
      .describe('Cases neither resolved nor closed, newest first, with their SLA deadlines; no subject or description (open the case for those)'),
    olderCasesNotRead: z
      .boolean()
      .describe('true in the rare case the projection outgrew one DynamoDB request (about 1 MB): the oldest open cases are left out'),
    latestSurvey: LatestSurveyScores.nullable().describe("The customer's latest completed survey with its scores; null when none"),
    referrals: z
      .object({ open: z.array(OverviewReferral), converted: z.array(OverviewReferral) })
      .describe(`The customer's open referrals and latest ${overviewLimits.convertedReferrals} converted ones (lost ones left out), newest first`),
  })
  .meta({ id: 'CustomerOverview', description: `Customer 360 in one DynamoDB request. ${eventuallyConsistent}` });
export type CustomerOverview = z.infer<typeof CustomerOverview>;
