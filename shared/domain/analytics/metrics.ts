/**
 * The metrics a contact-center manager reads, each defined once from summed counters
 * (./counters). Pure: the API sums the rows of a period or interval and asks for values here.
 * Definitions in words: docs/metrics.md.
 */
import { type CounterName, type CounterRow, type Counters, type Dimension, type ServiceLevelThreshold, answeredWithin } from './counters';

/** Sums rows' counters: any period or grouping is exact because every counter is additive. */
export function sumCounters(rows: Iterable<Pick<CounterRow, 'counters'>>): Counters {
  const totals: Record<string, number> = {};
  for (const row of rows) {
    for (const [name, amount] of Object.entries(row.counters)) {
      if (typeof amount === 'number') totals[name] = (totals[name] ?? 0) + amount;
    }
  }
  return totals as Counters;
}

export interface ServiceLevelGoal {
  targetPercent: number;
  thresholdSeconds: ServiceLevelThreshold;
}

const count = (counters: Counters, name: CounterName) => counters[name] ?? 0;

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Queued contacts an agent answered: queued ones less those abandoned in the queue. */
const answeredFromQueue = (counters: Counters) => count(counters, 'queued') - count(counters, 'abandonedInQueue');
/** Contacts that reached someone: offered less abandoned (an e-mail or walk-in may have no answeredAt). */
const notAbandoned = (counters: Counters) => count(counters, 'offered') - count(counters, 'abandoned');

/** numerator / denominator, or null when nothing was there to divide: never NaN, never a made-up 0. */
export const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : round2(numerator / denominator);

export const percent = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : round2((numerator * 100) / denominator);

/**
 * The dimensions a metric is counted for: those its events carry. Contacts carry all four;
 * surveys their contact's queue, agent and channel; a case its assignee when opened and nothing
 * when it resolves or breaches; a referral the agent who made it.
 */
const everyDimension = ['all', 'queue', 'agent', 'channel', 'reason'] as const satisfies readonly Dimension[];
const surveyDimensions = ['all', 'queue', 'agent', 'channel'] as const satisfies readonly Dimension[];
const tenantAndAgent = ['all', 'agent'] as const satisfies readonly Dimension[];
const tenantOnly = ['all'] as const satisfies readonly Dimension[];

interface MetricDefinition {
  dimensions: readonly Dimension[];
  unit: 'count' | 'percent' | 'seconds' | 'score';
  value: (counters: Counters, goal: ServiceLevelGoal) => number | null;
}

/** Every metric the timeseries can chart, and the parts of the summary; one definition each. */
export const metricDefinitions = {
  offered: { dimensions: everyDimension, unit: 'count', value: (c) => count(c, 'offered') },
  handled: { dimensions: everyDimension, unit: 'count', value: (c) => count(c, 'answered') },
  abandoned: { dimensions: everyDimension, unit: 'count', value: (c) => count(c, 'abandoned') },
  abandonmentRate: { dimensions: everyDimension, unit: 'percent', value: (c) => percent(count(c, 'abandonedInQueue'), count(c, 'queued')) },
  averageSpeedOfAnswerSeconds: {
    dimensions: everyDimension,
    unit: 'seconds',
    value: (c) => ratio(count(c, 'waitSecondsAnswered'), answeredFromQueue(c)),
  },
  averageHandleTimeSeconds: { dimensions: everyDimension, unit: 'seconds', value: (c) => ratio(count(c, 'handleSeconds'), count(c, 'answered')) },
  averageTalkSeconds: { dimensions: everyDimension, unit: 'seconds', value: (c) => ratio(count(c, 'talkSeconds'), count(c, 'answered')) },
  averageAfterContactWorkSeconds: {
    dimensions: everyDimension,
    unit: 'seconds',
    value: (c) => ratio(count(c, 'afterContactWorkSeconds'), count(c, 'answered')),
  },
  serviceLevelPercent: {
    dimensions: everyDimension,
    unit: 'percent',
    value: (c, goal) => percent(count(c, answeredWithin(goal.thresholdSeconds)), count(c, 'queued')),
  },
  firstContactResolutionRate: {
    dimensions: everyDimension,
    unit: 'percent',
    value: (c) => percent(count(c, 'firstContactResolved'), notAbandoned(c)),
  },
  transferRate: { dimensions: everyDimension, unit: 'percent', value: (c) => percent(count(c, 'transferred'), notAbandoned(c)) },
  surveysSent: { dimensions: surveyDimensions, unit: 'count', value: (c) => count(c, 'surveysSent') },
  surveysCompleted: { dimensions: surveyDimensions, unit: 'count', value: (c) => count(c, 'surveysCompleted') },
  surveyResponseRate: { dimensions: surveyDimensions, unit: 'percent', value: (c) => percent(count(c, 'surveysCompleted'), count(c, 'surveysSent')) },
  csat: { dimensions: surveyDimensions, unit: 'percent', value: (c) => percent(count(c, 'csatSatisfied'), count(c, 'csatResponses')) },
  nps: {
    dimensions: surveyDimensions,
    unit: 'score',
    value: (c) => percent(count(c, 'npsPromoters') - count(c, 'npsDetractors'), count(c, 'npsResponses')),
  },
  ces: { dimensions: surveyDimensions, unit: 'score', value: (c) => ratio(count(c, 'cesSum'), count(c, 'cesResponses')) },
  casesOpened: { dimensions: tenantAndAgent, unit: 'count', value: (c) => count(c, 'casesOpened') },
  casesResolved: { dimensions: tenantOnly, unit: 'count', value: (c) => count(c, 'casesResolved') },
  slaCompliance: { dimensions: tenantOnly, unit: 'percent', value: (c) => percent(count(c, 'casesResolvedWithinSla'), count(c, 'casesResolved')) },
  referralsMade: { dimensions: tenantAndAgent, unit: 'count', value: (c) => count(c, 'referralsMade') },
  referralsConverted: { dimensions: tenantAndAgent, unit: 'count', value: (c) => count(c, 'referralsConverted') },
  referralConversionRate: {
    dimensions: tenantAndAgent,
    unit: 'percent',
    value: (c) => percent(count(c, 'referralsConverted'), count(c, 'referralsMade')),
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof metricDefinitions;
export const metricNames = Object.keys(metricDefinitions) as [MetricName, ...MetricName[]];

export const countedFor = (name: MetricName, dimension: Dimension): boolean =>
  (metricDefinitions[name] as MetricDefinition).dimensions.includes(dimension);

/** One metric's value, or null where its events do not carry the dimension (cases by queue). */
export function metricValue(name: MetricName, counters: Counters, goal: ServiceLevelGoal, dimension: Dimension): number | null {
  return countedFor(name, dimension) ? metricDefinitions[name].value(counters, goal) : null;
}

/** Converted referral value per currency, in major units (counters keep thousandths). */
export function referralValueByCurrency(counters: Counters): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [name, milli] of Object.entries(counters)) {
    if (name.startsWith('referralValueMilli:') && typeof milli === 'number') values[name.slice('referralValueMilli:'.length)] = milli / 1000;
  }
  return values;
}

export interface MetricSummary {
  contacts: {
    offered: number;
    handled: number;
    abandoned: number;
    queued: number;
    abandonedInQueue: number;
    abandonmentRate: number | null;
    averageSpeedOfAnswerSeconds: number | null;
    averageHandleTimeSeconds: number | null;
    averageTalkSeconds: number | null;
    averageAfterContactWorkSeconds: number | null;
    serviceLevel: { percent: number | null; thresholdSeconds: number; targetPercent: number; met: boolean | null };
    firstContactResolutionRate: number | null;
    transferRate: number | null;
  };
  surveys: {
    sent: number;
    completed: number;
    responseRate: number | null;
    csat: number | null;
    csatResponses: number;
    nps: number | null;
    npsResponses: number;
    ces: number | null;
    cesResponses: number;
  } | null;
  cases: {
    opened: number;
    resolved: number | null;
    resolvedWithinSla: number | null;
    backlog: number | null;
    slaCompliance: number | null;
    slaBreaches: number | null;
  } | null;
  referrals: { made: number; converted: number; lost: number; conversionRate: number | null; valueByCurrency: Record<string, number> } | null;
}

/**
 * Every metric of one set of summed counters, for the whole tenant (`all`) or one value of a
 * dimension. A part whose events do not carry the dimension is null, as is a case figure the
 * dimension does not carry (cases resolve without an agent). `backlog` is the live open-case
 * count, known for the whole tenant only.
 */
export function summarize(counters: Counters, goal: ServiceLevelGoal, dimension: Dimension, backlog: number | null): MetricSummary {
  const value = (name: MetricName) => metricValue(name, counters, goal, dimension);
  const serviceLevelPercent = value('serviceLevelPercent');
  return {
    contacts: {
      offered: count(counters, 'offered'),
      handled: count(counters, 'answered'),
      abandoned: count(counters, 'abandoned'),
      queued: count(counters, 'queued'),
      abandonedInQueue: count(counters, 'abandonedInQueue'),
      abandonmentRate: value('abandonmentRate'),
      averageSpeedOfAnswerSeconds: value('averageSpeedOfAnswerSeconds'),
      averageHandleTimeSeconds: value('averageHandleTimeSeconds'),
      averageTalkSeconds: value('averageTalkSeconds'),
      averageAfterContactWorkSeconds: value('averageAfterContactWorkSeconds'),
      serviceLevel: {
        percent: serviceLevelPercent,
        thresholdSeconds: goal.thresholdSeconds,
        targetPercent: goal.targetPercent,
        met: serviceLevelPercent === null ? null : serviceLevelPercent >= goal.targetPercent,
      },
      firstContactResolutionRate: value('firstContactResolutionRate'),
      transferRate: value('transferRate'),
    },
    surveys: countedFor('surveysSent', dimension)
      ? {
          sent: count(counters, 'surveysSent'),
          completed: count(counters, 'surveysCompleted'),
          responseRate: value('surveyResponseRate'),
          csat: value('csat'),
          csatResponses: count(counters, 'csatResponses'),
          nps: value('nps'),
          npsResponses: count(counters, 'npsResponses'),
          ces: value('ces'),
          cesResponses: count(counters, 'cesResponses'),
        }
      : null,
    cases: countedFor('casesOpened', dimension)
      ? {
          opened: count(counters, 'casesOpened'),
          resolved: value('casesResolved'),
          resolvedWithinSla: countedFor('slaCompliance', dimension) ? count(counters, 'casesResolvedWithinSla') : null,
          backlog: dimension === 'all' ? backlog : null,
          slaCompliance: value('slaCompliance'),
          slaBreaches: countedFor('slaCompliance', dimension) ? count(counters, 'casesSlaBreaches') : null,
        }
      : null,
    referrals: countedFor('referralsMade', dimension)
      ? {
          made: count(counters, 'referralsMade'),
          converted: count(counters, 'referralsConverted'),
          lost: count(counters, 'referralsLost'),
          conversionRate: value('referralConversionRate'),
          valueByCurrency: referralValueByCurrency(counters),
        }
      : null,
  };
}
