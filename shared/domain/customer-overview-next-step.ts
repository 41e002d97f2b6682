import type { Customer } from '../schemas/customer';
import type { LatestSurveyScores, OpenCaseSummary, OverviewReferral, SuggestedNextStep } from '../schemas/customer-overview';

/**
 * The overview's suggested next step: the first rule that applies, in this order (docs/guides/agents-desk.md,
 * "The customer at a glance", has the table). What is open comes before what the customer is worth: a
 * champion with an open complaint is recovered first, not sold to. An offer is suggested only to a
 * customer whose marketing consent is granted; otherwise the same segment gets the step without it.
 *
 * | # | when | step |
 * | 1 | an open complaint | recover_first (the complaint nearest its resolution deadline) |
 * | 2 | an open case past a deadline | resolve_breached_case |
 * | 3 | latest survey: CSAT ≤ 2, NPS ≤ 6 or not resolved, within 30 days | repair_experience |
 * | 4 | segment champions or loyal | thank_and_offer (thank without consent) |
 * | 5 | segment at_risk or cannot_lose | win_back |
 * | 6 | segment need_attention or about_to_sleep | re_engage |
 * | 7 | segment hibernating or lost | reactivate_offer (check_in without consent) |
 * | 8 | segment new, promising or potential_loyalist | nurture |
 * | 9 | an open referral | follow_up_referral |
 * | 10 | an open case | update_on_case |
 * | 11 | otherwise | listen |
 */

const recentSurveyDays = 30;

export interface NextStepInputs {
  customer: Pick<Customer, 'consent' | 'value'>;
  openCases: readonly OpenCaseSummary[];
  latestSurvey: LatestSurveyScores | null;
  openReferrals: readonly OverviewReferral[];
  now: Date;
}

export function suggestedNextStep({ customer, openCases, latestSurvey, openReferrals, now }: NextStepInputs): SuggestedNextStep {
  const byResolutionDue = [...openCases].sort((a, b) => (a.sla.resolution.dueAt < b.sla.resolution.dueAt ? -1 : 1));
  const complaint = byResolutionDue.find((c) => c.type === 'complaint');
  if (complaint) return { action: 'recover_first', caseId: complaint.caseId };
  const breached = byResolutionDue.find((c) => c.breached);
  if (breached) return { action: 'resolve_breached_case', caseId: breached.caseId };
  if (latestSurvey && unhappy(latestSurvey) && now.getTime() - Date.parse(latestSurvey.completedAt) <= recentSurveyDays * 86_400_000) {
    return { action: 'repair_experience', surveyId: latestSurvey.surveyId };
  }
  const mayOffer = customer.consent.marketing.status === 'granted';
  const segment = customer.value?.segment;
  switch (segment) {
    case 'champions':
    case 'loyal':
      return { action: mayOffer ? 'thank_and_offer' : 'thank', segment };
    case 'at_risk':
    case 'cannot_lose':
      return { action: 'win_back', segment };
    case 'need_attention':
    case 'about_to_sleep':
      return { action: 're_engage', segment };
    case 'hibernating':
    case 'lost':
      return { action: mayOffer ? 'reactivate_offer' : 'check_in', segment };
    case 'new':
    case 'promising':
    case 'potential_loyalist':
      return { action: 'nurture', segment };
    case undefined:
      break;
  }
  const referral = openReferrals[0];
  if (referral) return { action: 'follow_up_referral', referralId: referral.referralId };
  const openCase = byResolutionDue[0];
  if (openCase) return { action: 'update_on_case', caseId: openCase.caseId };
  return { action: 'listen' };
}

function unhappy({ scores }: LatestSurveyScores): boolean {
  return (typeof scores.csat === 'number' && scores.csat <= 2) || (typeof scores.nps === 'number' && scores.nps <= 6) || scores.resolved === false;
}
