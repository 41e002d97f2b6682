import * as z from '../zod';
import { ContactSummary } from '../events/contact-events';
import { AgentId } from './agent';
import { Iso8601 } from './common';
import { Assignee, CaseStatus, CaseType, Severity } from './case';
import { Money, ReferralStatus } from './contact';
import { Customer } from './customer';
import { Segment } from './customer-value';

/** How much of the customer's history the overview projection keeps (docs/developers/data-model.md, "Customer overview"). */
export const overviewLimits = {
  recentContacts: 10,
  convertedReferrals: 20,
  /** A finished case or a lost referral stays this long (TTL), so that a late event cannot bring it back. */
  settledRetentionDays: 30,
} as const;

const eventuallyConsistent =
  'Read from a projection the customer-overview-projection consumer keeps from events: a change made a moment ago may not show yet.';

export const OverviewContact = z.withMeta(z.extend(ContactSummary, { agentId: z.optional(AgentId) }), { id: 'OverviewContact' });
export type OverviewContact = z.infer<typeof OverviewContact>;

const DeadlineState = z.object({
  dueAt: Iso8601,
  metAt: z.optional(Iso8601),
  breachedAt: z.optional(Iso8601),
});

export const OpenCaseSummary = z.withMeta(
  z.object({
    caseId: z.string(),
    type: CaseType,
    severity: Severity,
    category: z.string(),
    status: CaseStatus,
    assignee: z.optional(Assignee),
    openedAt: Iso8601,
    breached: z.boolean(),
    sla: z.object({ firstResponse: DeadlineState, resolution: DeadlineState }),
  }),
  { id: 'OpenCaseSummary' },
);
export type OpenCaseSummary = z.infer<typeof OpenCaseSummary>;

const nullableScore = z.optional(z.nullable(z.number()));

export const SurveyScores = z.object({
  csat: nullableScore,
  nps: nullableScore,
  ces: nullableScore,
  resolved: z.optional(z.nullable(z.boolean())),
  dimensions: z.optional(z.record(z.string(), z.nullable(z.number()))),
});
export type SurveyScores = z.infer<typeof SurveyScores>;

export const LatestSurveyScores = z.withMeta(
  z.object({
    surveyId: z.string(),
    contactId: z.string(),
    completedAt: Iso8601,
    templateId: z.optional(z.string()),
    templateVersion: z.optional(z.int()),
    scores: SurveyScores,
    words: z.described(
      z.optional(z.array(z.string())),
      "The customer's own words: the survey's free-text answers as written, in the template's order (absent for surveys projected before they were kept)",
    ),
  }),
  { id: 'LatestSurveyScores' },
);
export type LatestSurveyScores = z.infer<typeof LatestSurveyScores>;

export const OverviewReferral = z.withMeta(
  z.object({
    referralId: z.string(),
    contactId: z.string(),
    product: z.string(),
    status: ReferralStatus,
    referredBy: z.optional(AgentId),
    assignedTo: z.optional(AgentId),
    value: z.optional(Money),
    madeAt: z.optional(Iso8601),
    settledAt: z.described(z.optional(Iso8601), 'When it was converted'),
  }),
  { id: 'OverviewReferral' },
);
export type OverviewReferral = z.infer<typeof OverviewReferral>;

export const NextStepAction = z.described(
  z.enum([
    'recover_first',
    'resolve_breached_case',
    'repair_experience',
    'thank_and_offer',
    'thank',
    'win_back',
    're_engage',
    'reactivate_offer',
    'check_in',
    'nurture',
    'follow_up_referral',
    'update_on_case',
    'listen',
  ]),
  'The rule that applied, first of the table in docs/guides/agents-desk.md ("The customer at a glance")',
);

export const SuggestedNextStep = z.withMeta(
  z.object({
    action: NextStepAction,
    caseId: z.described(z.optional(z.string()), 'The case the step is about (recover_first, resolve_breached_case, update_on_case)'),
    surveyId: z.described(z.optional(z.string()), 'The unhappy survey (repair_experience)'),
    referralId: z.described(z.optional(z.string()), 'The open referral (follow_up_referral)'),
    segment: z.described(z.optional(Segment), 'The value segment the step comes from'),
  }),
  { id: 'SuggestedNextStep', description: 'What the agent might do first, from what is open and what the customer is worth; a suggestion, never an obligation' },
);
export type SuggestedNextStep = z.infer<typeof SuggestedNextStep>;

export const CustomerOverview = z.withMeta(
  z.object({
    customer: z.described(
      Customer,
      'The profile with its consent and, once computed, its value (segment, scores, tier, lifetime value), as GET /v1/customers/{customerId} shows it; always current',
    ),
    recentContacts: z.described(
      z.array(OverviewContact),
      `The latest ${overviewLimits.recentContacts} contacts by start time, newest first; no notes and no phone number`,
    ),
    openCases: z.described(
      z.array(OpenCaseSummary),
      'Cases neither resolved nor closed, newest first, with their SLA deadlines; no subject or description (open the case for those)',
    ),
    olderCasesNotRead: z.described(
      z.boolean(),
      'true in the rare case the projection outgrew one DynamoDB request (about 1 MB): the oldest open cases are left out',
    ),
    latestSurvey: z.described(z.nullable(LatestSurveyScores), "The customer's latest completed survey with its scores; null when none"),
    referrals: z.described(
      z.object({ open: z.array(OverviewReferral), converted: z.array(OverviewReferral) }),
      `The customer's open referrals and latest ${overviewLimits.convertedReferrals} converted ones (lost ones left out), newest first`,
    ),
    suggestedNextStep: SuggestedNextStep,
  }),
  { id: 'CustomerOverview', description: `Customer 360 in one DynamoDB request. ${eventuallyConsistent}` },
);
export type CustomerOverview = z.infer<typeof CustomerOverview>;
