import * as z from '../zod';
import { serviceLevelThresholds } from '../domain/analytics/counters';
import { metricNames } from '../domain/analytics/metrics';
import { PeriodBound } from './common';

// ---------------------------------------------------------------- settings section

const thresholdList = serviceLevelThresholds.join(', ');

export const ServiceLevelThresholdSeconds = z.described(
  z.number().check(
    z.int(),
    z.refine((seconds) => (serviceLevelThresholds as readonly number[]).includes(seconds), {
      message: `Must be one of the counted thresholds: ${thresholdList} seconds`,
    }),
  ),
  `Answer-time threshold in seconds; one of ${thresholdList}`,
);

const Percent = z.number().check(z.gte(0), z.lte(100));

export const ServiceLevelGoal = z.described(
  z.strictObject({
    targetPercent: z.described(Percent, 'Share of queued contacts to answer within the threshold'),
    thresholdSeconds: ServiceLevelThresholdSeconds,
  }),
  'The service-level goal, such as 80 % answered within 20 s',
);

export const StaffingSettings = z.strictObject({
  maxOccupancyPercent: z.described(
    z.number().check(z.gt(0), z.lte(100)),
    'Highest share of logged-in time agents may spend handling contacts',
  ),
  shrinkagePercent: z.described(
    z.number().check(z.gte(0), z.lt(100)),
    'Share of paid time agents are not available (breaks, training, absence)',
  ),
  forecastWeeks: z.described(z.int().check(z.gte(1), z.lte(52)), 'How many past weeks of the same weekday and hour the forecast averages'),
});

export const AnalyticsSettings = z.withMeta(z.strictObject({ serviceLevel: ServiceLevelGoal, staffing: StaffingSettings }), {
  id: 'AnalyticsSettings',
  description: 'Service-level goal and staffing assumptions (docs/metrics.md)',
});
export type AnalyticsSettings = z.infer<typeof AnalyticsSettings>;

export const AnalyticsSettingsPatch = z.described(
  z.partial(z.strictObject({ serviceLevel: z.partial(ServiceLevelGoal), staffing: z.partial(StaffingSettings) })),
  'Merged into the section field by field',
);
export type AnalyticsSettingsPatch = z.infer<typeof AnalyticsSettingsPatch>;

// ---------------------------------------------------------------- metrics API

const periodDescription =
  'A date YYYY-MM-DD is a whole day in the tenant time zone (`to` inclusive); a date-time is an instant (`to` exclusive)';

export const GroupBy = z.described(z.enum(['queue', 'agent', 'channel', 'reason']), 'Break the figures down by this dimension');

export const AnalyticsSummaryQuery = z.strictObject({
  from: z.described(PeriodBound, `Start of the period. ${periodDescription}`),
  to: z.described(PeriodBound, `End of the period, at most 366 days after from. ${periodDescription}`),
  groupBy: z.optional(GroupBy),
});

export const TimeseriesQuery = z.strictObject({
  metric: z.described(z.enum(metricNames), 'The metric to chart (docs/metrics.md)'),
  interval: z.described(z.enum(['hour', 'day', 'week']), 'Tenant-local hours, days (23 or 25 h at clock changes) or weeks from Monday'),
  from: z.described(PeriodBound, `Start of the period. ${periodDescription}`),
  to: z.described(PeriodBound, `End of the period. ${periodDescription}`),
  groupBy: z.optional(GroupBy),
});

export const HeatmapQuery = z.strictObject({
  from: z.described(z.optional(PeriodBound), `Start of the period; default: 27 days before today (tenant time). ${periodDescription}`),
  to: z.described(z.optional(PeriodBound), `End of the period; default: now, so today so far is included. ${periodDescription}`),
});

const Rate = z.described(z.nullable(z.number()), 'Percent, 0–100, two decimals; null when the denominator is 0');
const Seconds = z.described(z.nullable(z.number()), 'Seconds, two decimals; null when nothing was answered');

/** An instant the service wrote, as RFC 3339 with the tenant's offset: stated for the document, not checked. */
const LocalInstant = z.withMeta(z.string(), { format: 'date-time' });

export const Period = z.object({
  from: z.described(LocalInstant, 'Start instant, in the tenant time zone offset'),
  to: z.described(LocalInstant, 'End instant (exclusive), in the tenant time zone offset'),
  timezone: z.string(),
});

export const MetricSummary = z.withMeta(
  z.object({
    contacts: z.object({
      offered: z.int(),
      handled: z.int(),
      abandoned: z.described(z.int(), 'Contacts closed with outcome abandoned'),
      queued: z.described(z.int(), 'Contacts that waited in a queue (have queuedAt): the denominator of abandonmentRate and serviceLevel'),
      abandonedInQueue: z.described(
        z.int(),
        'Queued contacts never answered: the numerator of abandonmentRate (abandonedInQueue / queued). Includes queued contacts closed unresolved or transferred without an answer, so it can exceed abandoned',
      ),
      abandonmentRate: z.described(Rate, 'abandonedInQueue / queued'),
      averageSpeedOfAnswerSeconds: Seconds,
      averageHandleTimeSeconds: z.described(Seconds, 'Talk (hold included) plus after-contact work, per handled contact'),
      averageTalkSeconds: z.described(Seconds, 'Answer to end, hold included'),
      averageAfterContactWorkSeconds: Seconds,
      serviceLevel: z.object({
        percent: Rate,
        thresholdSeconds: z.int(),
        targetPercent: z.number(),
        met: z.nullable(z.boolean()),
      }),
      firstContactResolutionRate: Rate,
      transferRate: Rate,
    }),
    surveys: z.described(
      z.nullable(
        z.object({
          sent: z.int(),
          completed: z.int(),
          responseRate: Rate,
          csat: z.described(Rate, 'Share of CSAT answers of 4 or 5'),
          csatResponses: z.int(),
          nps: z.described(z.nullable(z.number()), '% promoters − % detractors, −100 to 100'),
          npsResponses: z.int(),
          ces: z.described(z.nullable(z.number()), 'Average CES answer, 1–7'),
          cesResponses: z.int(),
        }),
      ),
      "Null when grouped by reason: surveys carry their contact's queue, agent and channel only",
    ),
    cases: z.described(
      z.nullable(
        z.object({
          opened: z.int(),
          resolved: z.described(z.nullable(z.int()), 'Cases resolved in the period (a reopened case resolved again counts again); null per agent'),
          resolvedWithinSla: z.described(
            z.nullable(z.int()),
            'Of those, resolved with neither deadline breached: the numerator of slaCompliance; null per agent',
          ),
          backlog: z.described(z.nullable(z.int()), 'Cases open now, whatever the period (tenant-wide only; null per agent)'),
          slaCompliance: z.described(Rate, 'resolvedWithinSla / resolved; null per agent'),
          slaBreaches: z.described(
            z.nullable(z.int()),
            'Deadlines (first response, resolution) that passed unmet in the period, counted at the deadline, whether the case is resolved yet or not; null per agent',
          ),
        }),
      ),
      'Null when grouped by queue, channel or reason: case events carry none of them',
    ),
    referrals: z.described(
      z.nullable(
        z.object({
          made: z.int(),
          converted: z.int(),
          lost: z.int(),
          conversionRate: Rate,
          valueByCurrency: z.described(z.record(z.string(), z.number()), 'Converted value per ISO 4217 currency'),
        }),
      ),
      'Null when grouped by queue, channel or reason: referral events carry none of them',
    ),
  }),
  { id: 'MetricSummary' },
);

export const AnalyticsSummary = z.withMeta(
  z.object({
    period: Period,
    groupBy: z.optional(GroupBy),
    metrics: z.described(MetricSummary, 'The whole period, every contact (grouped or not)'),
    groups: z.described(z.optional(z.array(z.object({ value: z.string(), metrics: MetricSummary }))), 'Per group value, when grouped'),
  }),
  { id: 'AnalyticsSummary' },
);

const Point = z.object({
  start: z.described(LocalInstant, 'Interval start, with the tenant offset in force then'),
  end: LocalInstant,
  value: z.nullable(z.number()),
});

export const Timeseries = z.withMeta(
  z.object({
    period: Period,
    metric: z.enum(metricNames),
    interval: z.enum(['hour', 'day', 'week']),
    groupBy: z.optional(GroupBy),
    points: z.described(z.array(Point), 'Every interval of the period, in order, whole tenant'),
    series: z.described(z.optional(z.array(z.object({ value: z.string(), points: z.array(Point) }))), 'Per group value, when grouped'),
  }),
  { id: 'Timeseries' },
);

export const Heatmap = z.withMeta(
  z.object({
    period: Period,
    cells: z.described(
      z.array(
        z.object({
          weekday: z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
          hour: z.int().check(z.gte(0), z.lte(23)),
          offered: z.int(),
          occurrences: z.described(z.int(), 'How many times this local weekday and hour occurred in the period'),
          averageOffered: z.described(z.nullable(z.number()), 'offered / occurrences, two decimals'),
        }),
      ),
      '7 × 24 cells, Monday 00:00 first',
    ),
  }),
  { id: 'Heatmap' },
);
