import { describe, expect, it } from 'vitest';
import { suggestedNextStep, type NextStepInputs } from '../../shared/domain/customer-overview-next-step';
import { surveyWords } from '../../shared/domain/customer-overview';
import type { OpenCaseSummary } from '../../shared/schemas/customer-overview';
import type { Segment } from '../../shared/schemas/customer-value';

const now = new Date('2026-12-05T08:00:00Z');
const consent = (marketing: 'granted' | 'unknown') => ({ sms: { status: 'unknown' as const }, email: { status: 'unknown' as const }, marketing: { status: marketing } });
const value = (segment: Segment) => ({ currency: 'TWD', purchaseCount: 3, refundCount: 0, monetaryTotal: 300, marginTotal: 90, lastTransactionAt: '2026-11-01T00:00:00Z', segment });
const openCase = (caseId: string, type: OpenCaseSummary['type'], resolutionDue: string, breached = false): OpenCaseSummary => ({
  caseId,
  type,
  severity: 'medium',
  category: 'billing',
  status: 'open',
  openedAt: '2026-12-01T00:00:00Z',
  breached,
  sla: { firstResponse: { dueAt: '2026-12-01T04:00:00Z' }, resolution: { dueAt: resolutionDue } },
});
const inputs = (over: Partial<NextStepInputs> = {}): NextStepInputs => ({
  customer: { consent: consent('granted'), value: value('champions') },
  openCases: [],
  latestSurvey: null,
  openReferrals: [],
  now,
  ...over,
});

describe('the suggested next step', () => {
  it('recovers an open complaint first, the one due soonest, even for a champion', () => {
    const cases = [openCase('cas_late', 'complaint', '2026-12-09T00:00:00Z'), openCase('cas_soon', 'complaint', '2026-12-06T00:00:00Z'), openCase('cas_req', 'request', '2026-12-05T09:00:00Z', true)];
    expect(suggestedNextStep(inputs({ openCases: cases }))).toEqual({ action: 'recover_first', caseId: 'cas_soon' });
  });

  it('resolves a breached case before looking at the segment', () => {
    expect(suggestedNextStep(inputs({ openCases: [openCase('cas_b', 'request', '2026-12-04T00:00:00Z', true)] }))).toEqual({ action: 'resolve_breached_case', caseId: 'cas_b' });
  });

  it('repairs a recent unhappy survey, not one older than 30 days', () => {
    const survey = (completedAt: string) => ({ surveyId: 'svy_1', contactId: 'con_1', completedAt, scores: { csat: 2 } });
    expect(suggestedNextStep(inputs({ latestSurvey: survey('2026-12-01T00:00:00Z') }))).toEqual({ action: 'repair_experience', surveyId: 'svy_1' });
    expect(suggestedNextStep(inputs({ latestSurvey: survey('2026-10-01T00:00:00Z') })).action).toBe('thank_and_offer');
  });

  it('thanks and offers to a champion with marketing consent, only thanks one without', () => {
    expect(suggestedNextStep(inputs())).toEqual({ action: 'thank_and_offer', segment: 'champions' });
    expect(suggestedNextStep(inputs({ customer: { consent: consent('unknown'), value: value('champions') } }))).toEqual({ action: 'thank', segment: 'champions' });
  });

  it('wins back a customer at risk, nurtures a new one', () => {
    expect(suggestedNextStep(inputs({ customer: { consent: consent('granted'), value: value('at_risk') } }))).toEqual({ action: 'win_back', segment: 'at_risk' });
    expect(suggestedNextStep(inputs({ customer: { consent: consent('granted'), value: value('new') } })).action).toBe('nurture');
  });

  it('without a segment: follows up an open referral, then an open case, else listens', () => {
    const customer = { consent: consent('granted') };
    const referral = { referralId: 'ref_1', contactId: 'con_1', product: 'Fibre', status: 'open' as const };
    expect(suggestedNextStep(inputs({ customer, openReferrals: [referral] }))).toEqual({ action: 'follow_up_referral', referralId: 'ref_1' });
    expect(suggestedNextStep(inputs({ customer, openCases: [openCase('cas_r', 'request', '2026-12-09T00:00:00Z')] }))).toEqual({ action: 'update_on_case', caseId: 'cas_r' });
    expect(suggestedNextStep(inputs({ customer }))).toEqual({ action: 'listen' });
  });
});

describe("a survey's words", () => {
  it('are its non-empty free-text answers in the template order', () => {
    const template = { questions: [{ questionId: 'q2', type: 'freeText' }, { questionId: 'q1', type: 'csat' }, { questionId: 'q3', type: 'freeText' }] };
    expect(surveyWords(template, { q1: 5, q2: '  Quick and kind ', q3: '' })).toEqual(['Quick and kind']);
  });
});
