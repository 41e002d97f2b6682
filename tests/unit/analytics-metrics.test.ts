import { describe, expect, it } from 'vitest';
import type { Counters } from '../../shared/domain/analytics/counters';
import { metricValue, summarize, sumCounters, type ServiceLevelGoal } from '../../shared/domain/analytics/metrics';

const goal: ServiceLevelGoal = { targetPercent: 80, thresholdSeconds: 20 };

// Four queued inbound calls and one outbound call. Answered: three (waits 5 s, 15 s, 40 s; handle
// 300 = 240 talk + 60 work, 200 = 200 + 0, 100 = 70 + 30). One hung up after 50 s in queue.
// One answered call was transferred; two resolved on first contact.
const contacts: Counters = {
  offered: 5,
  inbound: 4,
  queued: 4,
  answered: 3,
  abandoned: 1,
  abandonedInQueue: 1,
  waitSecondsAnswered: 60,
  queueSeconds: 110,
  talkSeconds: 510,
  afterContactWorkSeconds: 90,
  handleSeconds: 600,
  firstContactResolved: 2,
  transferred: 1,
  answeredWithin10: 1,
  answeredWithin15: 2,
  answeredWithin20: 2,
  answeredWithin60: 3,
};

describe('contact metrics', () => {
  const summary = summarize(contacts, goal, 'all', 7).contacts;

  it('counts offered, handled and abandoned', () => {
    expect(summary).toMatchObject({ offered: 5, handled: 3, abandoned: 1 });
  });

  it('divides abandoned-in-queue by queued, and gives both counts so the rate can be checked', () => {
    // 1 / 4
    expect(summary).toMatchObject({ queued: 4, abandonedInQueue: 1, abandonmentRate: 25 });
    // A queued contact closed unresolved without an answer is in the rate's numerator, not in abandoned.
    const unanswered = summarize({ ...contacts, queued: 5, abandonedInQueue: 2, offered: 6 }, goal, 'all', 7).contacts;
    expect(unanswered).toMatchObject({ abandoned: 1, queued: 5, abandonedInQueue: 2, abandonmentRate: 40 });
    expect(unanswered.abandonmentRate).toBe((unanswered.abandonedInQueue * 100) / unanswered.queued);
  });

  it('averages answer and handle times over answered contacts, talk and after-contact work apart', () => {
    // ASA: 60 s over the 3 answered from the queue (queued 4 − abandoned in queue 1) = 20.
    // AHT 600 / 3 = 200 = talk 510 / 3 = 170 + work 90 / 3 = 30.
    expect(summary.averageSpeedOfAnswerSeconds).toBe(20);
    expect(summary.averageHandleTimeSeconds).toBe(200);
    expect(summary.averageTalkSeconds).toBe(170);
    expect(summary.averageAfterContactWorkSeconds).toBe(30);
  });

  it("measures the service level at the tenant's threshold over every queued contact, abandoned ones included", () => {
    // Within 20 s: 2 of 4 queued = 50 %, short of 80 %.
    expect(summary.serviceLevel).toEqual({ percent: 50, thresholdSeconds: 20, targetPercent: 80, met: false });
    // Within 60 s: 3 of 4 = 75 %, which meets a 75 % target.
    expect(summarize(contacts, { targetPercent: 75, thresholdSeconds: 60 }, 'all', null).contacts.serviceLevel).toEqual({
      percent: 75,
      thresholdSeconds: 60,
      targetPercent: 75,
      met: true,
    });
  });

  it('gives first-contact resolution and transfers per contact not abandoned', () => {
    // 2 / (5 offered − 1 abandoned) = 50 %; 1 / 4 = 25 %
    expect(summary.firstContactResolutionRate).toBe(50);
    expect(summary.transferRate).toBe(25);
  });

  it('leaves outbound answered calls, which wait in no queue, out of the speed of answer', () => {
    // One queued call answered after 30 s and one outbound call: ASA is 30, not 15.
    const counters: Counters = { offered: 2, queued: 1, answered: 2, waitSecondsAnswered: 30, firstContactResolved: 1 };
    expect(metricValue('averageSpeedOfAnswerSeconds', counters, goal, 'all')).toBe(30);
  });

  it('rounds to two decimals', () => {
    // 1 / 3 = 33.333… %
    expect(metricValue('transferRate', { offered: 3, transferred: 1 }, goal, 'agent')).toBe(33.33);
  });

  it('answers null, never NaN or 0, for a ratio with nothing to divide by', () => {
    const empty = summarize({}, goal, 'all', 0);
    expect(empty.contacts).toMatchObject({
      offered: 0,
      abandonmentRate: null,
      averageSpeedOfAnswerSeconds: null,
      averageHandleTimeSeconds: null,
      firstContactResolutionRate: null,
      transferRate: null,
      serviceLevel: { percent: null, met: null },
    });
    expect(empty.surveys).toMatchObject({ responseRate: null, csat: null, nps: null, ces: null });
    expect(empty.cases).toMatchObject({ opened: 0, backlog: 0, slaCompliance: null });
    expect(empty.referrals).toMatchObject({ made: 0, conversionRate: null, valueByCurrency: {} });
    expect(JSON.stringify(empty)).not.toContain('NaN');
  });
});

describe('survey metrics', () => {
  // 10 sent, 4 completed. CSAT 5, 4, 2 (two satisfied of three); NPS 10, 9, 7, 3 (two promoters,
  // one detractor of four); CES 6 and 3 (sum 9).
  const surveys = summarize(
    {
      surveysSent: 10,
      surveysCompleted: 4,
      csatResponses: 3,
      csatSatisfied: 2,
      npsResponses: 4,
      npsPromoters: 2,
      npsDetractors: 1,
      cesResponses: 2,
      cesSum: 9,
      cesAgree: 1,
    },
    goal,
    'all',
    null,
  ).surveys;

  it('gives the response rate, CSAT as % satisfied, NPS as promoters minus detractors and CES as the mean', () => {
    expect(surveys).toEqual({
      sent: 10,
      completed: 4,
      responseRate: 40,
      csat: 66.67,
      csatResponses: 3,
      // (2 − 1) / 4 = 25
      nps: 25,
      npsResponses: 4,
      ces: 4.5,
      cesResponses: 2,
    });
  });

  it('lets NPS go negative', () => {
    expect(metricValue('nps', { npsResponses: 4, npsPromoters: 0, npsDetractors: 3 }, goal, 'all')).toBe(-75);
  });
});

describe('case and referral metrics', () => {
  const counters: Counters = {
    casesOpened: 4,
    casesResolved: 3,
    casesResolvedWithinSla: 2,
    casesSlaBreaches: 1,
    referralsMade: 4,
    referralsConverted: 1,
    referralsLost: 1,
    'referralValueMilli:TWD': 12_345_500,
    'referralValueMilli:USD': 99_990,
  };

  it('divides SLA compliance over resolved cases and conversion over referrals made, with value per currency', () => {
    const summary = summarize(counters, goal, 'all', 5);
    expect(summary.cases).toEqual({ opened: 4, resolved: 3, resolvedWithinSla: 2, backlog: 5, slaCompliance: 66.67, slaBreaches: 1 });
    expect(summary.referrals).toEqual({ made: 4, converted: 1, lost: 1, conversionRate: 25, valueByCurrency: { TWD: 12_345.5, USD: 99.99 } });
  });

  it('answers null for them by queue, channel or reason, which case and referral events do not carry', () => {
    for (const dimension of ['queue', 'channel', 'reason'] as const) {
      expect(summarize(counters, goal, dimension, null)).toMatchObject({ cases: null, referrals: null });
      expect(metricValue('casesOpened', counters, goal, dimension)).toBeNull();
    }
  });

  it('counts cases opened per assigned agent, but not resolutions or breaches, which name no agent', () => {
    expect(summarize(counters, goal, 'agent', null).cases).toEqual({
      opened: 4,
      resolved: null,
      resolvedWithinSla: null,
      backlog: null,
      slaCompliance: null,
      slaBreaches: null,
    });
    expect(metricValue('referralConversionRate', counters, goal, 'agent')).toBe(25);
  });

  it('has no survey figures per reason code, which survey events do not carry', () => {
    expect(summarize({ surveysSent: 2 }, goal, 'reason', null).surveys).toBeNull();
    expect(summarize({ surveysSent: 2 }, goal, 'queue', null).surveys).toMatchObject({ sent: 2 });
  });
});

describe('summing rows', () => {
  it('adds counters of many slots and shards name by name', () => {
    const total = sumCounters([{ counters: { offered: 2, answered: 1 } }, { counters: { offered: 3, 'referralValueMilli:TWD': 500 } }]);
    expect(total).toEqual({ offered: 5, answered: 1, 'referralValueMilli:TWD': 500 });
  });
});
