import { CaseOpened, CaseResolved, CaseSlaBreached, CaseStatusChanged } from '../../events/case-events';
import { contactClosed, referralConverted, referralLost, referralMade } from '../../events/contact-events';
import type { CatalogEvent, ConsumedEvent } from '../../events/all-events';
import { surveyCompleted, surveySent } from '../../events/survey-events';
import type { CaseStatus } from '../../schemas/case';
import { agentOfAssignee, withoutAgentPrefix } from '../agent';
import { type CounterIncrement, type Counters, type Dimension, allValue, answeredWithin, referralValueCounter, serviceLevelThresholds } from './counters';

/**
 * What one event adds to a tenant's analytics: the counters of each dimension value it carries,
 * all in the slot of `at`, and how it moves the open-case backlog. Pure: the consumer
 * (functions/analytics-aggregate) writes it once per event.
 */
export interface Aggregation {
  /** The instant whose 30-minute UTC slot the counters go to. */
  at: string;
  increments: CounterIncrement[];
  /** +1 a case opened or reopened, −1 a case finished; 0 otherwise. */
  openCasesDelta: number;
}

/** Every event that counts: what the consumer accepts, and the `analytics` subscription's pattern lists exactly their detail-types. */
export const countedEvents = [
  contactClosed,
  surveySent,
  surveyCompleted,
  CaseOpened,
  CaseStatusChanged,
  CaseSlaBreached,
  CaseResolved,
  referralMade,
  referralConverted,
  referralLost,
] as const;
type CountedDefinition = (typeof countedEvents)[number];
export type CountedDetailType = CountedDefinition['detailType'];
export const countedDetailTypes: readonly CountedDetailType[] = [...new Set(countedEvents.map((definition) => definition.detailType))];

/** A counted event as the consumer receives it, without the bus's delivery id; one member per detail-type. */
type CountedEvent = ConsumedEvent<CountedDefinition> extends infer Event
  ? Event extends ConsumedEvent<CountedDefinition>
    ? Pick<Event, 'detailType' | 'detail'>
    : never
  : never;
type DimensionValues = Partial<Record<Dimension, string | undefined>>;

/** The event's counters, or undefined when it counts nothing (a case status change that neither finishes nor reopens). */
export function aggregationOf(event: CountedEvent): Aggregation | undefined {
  switch (event.detailType) {
    case 'Contact Closed': {
      const contact = event.detail.data;
      return {
        at: contact.queuedAt ?? contact.startedAt,
        increments: perDimension(
          { queue: contact.queue, agent: contact.agentId, channel: contact.channel, reason: contact.reasonCode },
          contactCounters(contact),
        ),
        openCasesDelta: 0,
      };
    }
    case 'Survey Sent': {
      const survey = event.detail.data;
      return {
        at: survey.sentAt,
        increments: perDimension({ queue: survey.queue, agent: survey.agentId, channel: survey.channel }, { surveysSent: 1 }),
        openCasesDelta: 0,
      };
    }
    case 'Survey Completed': {
      const survey = event.detail.data;
      return {
        at: survey.completedAt,
        increments: perDimension(
          { queue: survey.queue, agent: survey.agentId, channel: survey.channel },
          { surveysCompleted: 1, ...scoreCounters(survey.scores ?? {}) },
        ),
        openCasesDelta: 0,
      };
    }
    case 'Case Opened':
      return {
        at: event.detail.occurredAt,
        // A case assigned to a queue counts for no agent; one assigned to an agent, for that agent.
        increments: perDimension({ agent: agentOfAssignee(event.detail.data.assignee) }, { casesOpened: 1 }),
        openCasesDelta: 1,
      };
    case 'Case Status Changed': {
      const { from, to } = event.detail.data;
      if (to === 'open' && isFinished(from)) {
        return { at: event.detail.occurredAt, increments: perDimension({}, { casesReopened: 1 }), openCasesDelta: 1 };
      }
      if (!isFinished(from) && isFinished(to)) return { at: event.detail.occurredAt, increments: [], openCasesDelta: -1 };
      return undefined;
    }
    case 'Case SLA Breached':
      // Dated at the deadline, as the case records the breach, not at when the timer ran.
      return { at: event.detail.data.dueAt, increments: perDimension({}, { casesSlaBreaches: 1 }), openCasesDelta: 0 };
    case 'Case Resolved': {
      const resolved = event.detail.data;
      const withinSla = !resolved.firstResponseBreached && !resolved.resolutionBreached;
      return {
        at: resolved.resolvedAt,
        increments: perDimension({}, { casesResolved: 1, casesResolvedWithinSla: withinSla ? 1 : 0 }),
        openCasesDelta: 0,
      };
    }
    case 'Referral Made':
      return {
        at: event.detail.data.madeAt,
        increments: perDimension({ agent: event.detail.data.referredBy }, { referralsMade: 1 }),
        openCasesDelta: 0,
      };
    case 'Referral Converted': {
      const { value, referredBy, convertedAt } = event.detail.data;
      return {
        at: convertedAt,
        increments: perDimension(
          { agent: referredBy },
          { referralsConverted: 1, [referralValueCounter(value.currency)]: Math.round(value.amount * 1000) },
        ),
        openCasesDelta: 0,
      };
    }
    case 'Referral Lost':
      return {
        at: event.detail.data.lostAt,
        increments: perDimension({ agent: event.detail.data.referredBy }, { referralsLost: 1 }),
        openCasesDelta: 0,
      };
  }
}

const isFinished = (status: CaseStatus) => status === 'resolved' || status === 'closed';

/**
 * The same counters for `all` and for each dimension value the event carries. An agent is one
 * agent id whichever record named it: `agent:mei` (a case assignee stored before agent ids were
 * one) counts as `mei`.
 */
function perDimension(values: DimensionValues, given: Counters): CounterIncrement[] {
  const counters = Object.fromEntries(Object.entries(given).filter(([, amount]) => amount !== 0)) as Counters;
  const increments: CounterIncrement[] = [{ dimension: 'all', value: allValue, counters }];
  for (const dimension of ['queue', 'agent', 'channel', 'reason'] as const) {
    const named = values[dimension];
    const value = dimension === 'agent' && named !== undefined ? withoutAgentPrefix(named) : named;
    if (value) increments.push({ dimension, value, counters });
  }
  return increments;
}

type ClosedContact = CatalogEvent<'Contact Closed'>['detail']['data'];

const secondsBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);

function contactCounters(contact: ClosedContact): Counters {
  const { queuedAt, answeredAt, endedAt, afterContactWorkEndedAt } = contact;
  const counters: Counters = {
    offered: 1,
    inbound: contact.direction === 'inbound' ? 1 : 0,
    queued: queuedAt ? 1 : 0,
    answered: answeredAt ? 1 : 0,
    abandoned: contact.outcome === 'abandoned' ? 1 : 0,
    abandonedInQueue: queuedAt && !answeredAt ? 1 : 0,
    firstContactResolved: contact.firstContactResolution === true ? 1 : 0,
    transferred: contact.outcome === 'transferred' ? 1 : 0,
  };
  if (queuedAt) counters.queueSeconds = secondsBetween(queuedAt, answeredAt ?? endedAt ?? contact.closedAt);
  if (queuedAt && answeredAt) {
    const wait = secondsBetween(queuedAt, answeredAt);
    counters.waitSecondsAnswered = wait;
    for (const threshold of serviceLevelThresholds) {
      if (wait <= threshold) counters[answeredWithin(threshold)] = 1;
    }
  }
  if (answeredAt && endedAt) {
    const workEnded = afterContactWorkEndedAt ?? endedAt;
    counters.talkSeconds = secondsBetween(answeredAt, endedAt);
    counters.afterContactWorkSeconds = secondsBetween(endedAt, workEnded);
    counters.handleSeconds = secondsBetween(answeredAt, workEnded);
  }
  return counters;
}

/** Answered scores only: a skipped question (null) or one the template does not ask counts nowhere. */
function scoreCounters(scores: { csat?: number | null; nps?: number | null; ces?: number | null }): Counters {
  const counters: Counters = {};
  if (typeof scores.csat === 'number') {
    counters.csatResponses = 1;
    counters.csatSatisfied = scores.csat >= 4 ? 1 : 0;
  }
  if (typeof scores.nps === 'number') {
    counters.npsResponses = 1;
    counters.npsPromoters = scores.nps >= 9 ? 1 : 0;
    counters.npsDetractors = scores.nps <= 6 ? 1 : 0;
  }
  if (typeof scores.ces === 'number') {
    counters.cesResponses = 1;
    counters.cesSum = scores.ces;
    counters.cesAgree = scores.ces >= 5 ? 1 : 0;
  }
  return counters;
}
