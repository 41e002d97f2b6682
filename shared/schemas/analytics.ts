import * as z from 'zod';
import { serviceLevelThresholds } from '../analytics/counters';
import { metricNames } from '../analytics/metrics';

// ---------------------------------------------------------------- settings section

const thresholdList = serviceLevelThresholds.join(', ');

export const ServiceLevelThresholdSeconds = z
  .number()
  .int()
  .refine((seconds) => (serviceLevelThresholds as readonly number[]).includes(seconds), {
    message: `Must be one of the counted thresholds: ${thresholdList} seconds`,
  })
  .describe(`Answer-time threshold in seconds; one of ${thresholdList}`);

const Percent = z.number().min(0).max(100);

export const ServiceLevelGoal = z
  .strictObject({
    targetPercent: Percent.describe('Share of queued contacts to answer within the threshold'),
    thresholdSeconds: ServiceLevelThresholdSeconds,
  })
  .describe('The service-level goal, such as 80 % answered within 20 s');

export const StaffingSettings = z.strictObject({
  maxOccupancyPercent: z.number().gt(0).max(100).describe('Highest share of logged-in time agents may spend handling contacts'),
  shrinkagePercent: z.number().min(0).lt(100).describe('Share of paid time agents are not available (breaks, training, absence)'),
  forecastWeeks: z.number().int().min(1).max(52).describe('How many past weeks of the same weekday and hour the forecast averages'),
});

export const AnalyticsSettings = z
  .strictObject({ serviceLevel: ServiceLevelGoal, staffing: StaffingSettings })
  .meta({ id: 'AnalyticsSettings', description: 'Service-level goal and staffing assumptions (docs/metrics.md)' });
export type AnalyticsSettings = z.infer<typeof AnalyticsSettings>;

export const AnalyticsSettingsPatch = z
  .strictObject({ serviceLevel: ServiceLevelGoal.partial(), staffing: StaffingSettings.partial() })
  .partial()
  .describe('Merged into the section field by field');
export type AnalyticsSettingsPatch = z.infer<typeof AnalyticsSettingsPatch>;

// ---------------------------------------------------------------- metrics API

const localDate = /^\d{4}-\d{2}-\d{2}$/;
const isCalendarDate = (value: string) => {
  const midnight = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(midnight) && new Date(midnight).toISOString().startsWith(value);
};
const Instant = z.iso.datetime({ offset: true });

/** A tenant-local calendar date or an instant; see docs/metrics.md, "Periods". */
export const PeriodBound = z
  .string()
  .refine((value) => (localDate.test(value) ? isCalendarDate(value) : Instant.safeParse(value).success), {
    message: 'Must be a date (YYYY-MM-DD, a day in the tenant time zone) or an RFC 3339 date-time with offset',
  });

const periodDescription =
  'A date YYYY-MM-DD is a whole day in the tenant time zone (`to` inclusive); a date-time is an instant (`to` exclusive)';

export const GroupBy = z.enum(['queue', 'agent', 'channel', 'reason']).describe('Break the figures down by this dimension');

export const AnalyticsSummaryQuery = z.strictObject({
  from: PeriodBound.describe(`Start of the period. ${periodDescription}`),
  to: PeriodBound.describe(`End of the period, at most 366 days after from. ${periodDescription}`),
  groupBy: GroupBy.optional(),
});

export const TimeseriesQuery = z.strictObject({
  metric: z.enum(metricNames).describe('The metric to chart (docs/metrics.md)'),
  interval: z.enum(['hour', 'day', 'week']).describe('Tenant-local hours, days (23 or 25 h at clock changes) or weeks from Monday'),
  from: PeriodBound.describe(`Start of the period. ${periodDescription}`),
  to: PeriodBound.describe(`End of the period. ${periodDescription}`),
  groupBy: GroupBy.optional(),
});

export const HeatmapQuery = z.strictObject({
  from: PeriodBound.optional().describe(`Start of the period; default: 28 days before today (tenant time). ${periodDescription}`),
  to: PeriodBound.optional().describe(`End of the period; default: yesterday, inclusive. ${periodDescription}`),
});

const Rate = z.number().nullable().describe('Percent, 0–100, two decimals; null when the denominator is 0');
const Seconds = z.number().nullable().describe('Seconds, two decimals; null when nothing was answered');

export const Period = z.object({
  from: z.string().describe('Start instant, in the tenant time zone offset'),
  to: z.string().describe('End instant (exclusive), in the tenant time zone offset'),
  timezone: z.string(),
});

export const MetricSummary = z
  .object({
    contacts: z.object({
      offered: z.number().int(),
      handled: z.number().int(),
      abandoned: z.number().int(),
      abandonmentRate: Rate,
      averageSpeedOfAnswerSeconds: Seconds,
      averageHandleTimeSeconds: Seconds.describe('Talk (hold included) plus after-contact work, per handled contact'),
      averageTalkSeconds: Seconds.describe('Answer to end, hold included'),
      averageAfterContactWorkSeconds: Seconds,
      serviceLevel: z.object({
        percent: Rate,
        thresholdSeconds: z.number().int(),
        targetPercent: z.number(),
        met: z.boolean().nullable(),
      }),
      firstContactResolutionRate: Rate,
      transferRate: Rate,
    }),
    surveys: z
      .object({
      sent: z.number().int(),
      completed: z.number().int(),
      responseRate: Rate,
      csat: Rate.describe('Share of CSAT answers of 4 or 5'),
      csatResponses: z.number().int(),
      nps: z.number().nullable().describe('% promoters − % detractors, −100 to 100'),
      npsResponses: z.number().int(),
      ces: z.number().nullable().describe('Average CES answer, 1–7'),
      cesResponses: z.number().int(),
    })
      .nullable()
      .describe("Null when grouped by reason: surveys carry their contact's queue, agent and channel only"),
    cases: z
      .object({
        opened: z.number().int(),
        resolved: z.number().int().nullable().describe('Null per agent: a case resolves without naming one'),
        backlog: z.number().int().nullable().describe('Cases open now, whatever the period (tenant-wide only; null per agent)'),
        slaCompliance: Rate.describe('Resolved within every SLA deadline over resolved; null per agent'),
        slaBreaches: z.number().int().nullable().describe('Deadlines missed, counted at the deadline; null per agent'),
      })
      .nullable()
      .describe('Null when grouped by queue, channel or reason: case events carry none of them'),
    referrals: z
      .object({
        made: z.number().int(),
        converted: z.number().int(),
        lost: z.number().int(),
        conversionRate: Rate,
        valueByCurrency: z.record(z.string(), z.number()).describe('Converted value per ISO 4217 currency'),
      })
      .nullable()
      .describe('Null when grouped by queue, channel or reason: referral events carry none of them'),
  })
  .meta({ id: 'MetricSummary' });

export const AnalyticsSummary = z
  .object({
    period: Period,
    groupBy: GroupBy.optional(),
    metrics: MetricSummary.describe('The whole period, every contact (grouped or not)'),
    groups: z.array(z.object({ value: z.string(), metrics: MetricSummary })).optional().describe('Per group value, when grouped'),
  })
  .meta({ id: 'AnalyticsSummary' });

const Point = z.object({
  start: z.string().describe('Interval start, with the tenant offset in force then'),
  end: z.string(),
  value: z.number().nullable(),
});

export const Timeseries = z
  .object({
    period: Period,
    metric: z.enum(metricNames),
    interval: z.enum(['hour', 'day', 'week']),
    groupBy: GroupBy.optional(),
    points: z.array(Point).describe('Every interval of the period, in order, whole tenant'),
    series: z.array(z.object({ value: z.string(), points: z.array(Point) })).optional().describe('Per group value, when grouped'),
  })
  .meta({ id: 'Timeseries' });

export const Heatmap = z
  .object({
    period: Period,
    cells: z
      .array(
        z.object({
          weekday: z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
          hour: z.number().int().min(0).max(23),
          offered: z.number().int(),
          occurrences: z.number().int().describe('How many times this local weekday and hour occurred in the period'),
          averageOffered: z.number().nullable().describe('offered / occurrences, two decimals'),
        }),
      )
      .describe('7 × 24 cells, Monday 00:00 first'),
  })
  .meta({ id: 'Heatmap' });
