import * as z from 'zod';

const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Must be a date, YYYY-MM-DD')
  .refine(
    (value) => {
      const midnight = Date.parse(`${value}T00:00:00Z`);
      return !Number.isNaN(midnight) && new Date(midnight).toISOString().startsWith(value) && value >= '2000-01-01' && value <= '2999-12-31';
    },
    { message: 'Must be a calendar date between 2000-01-01 and 2999-12-31' },
  )
  .describe('The day to staff, in the tenant time zone');

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Must be HH:MM, 24-hour');

const limits = {
  targetPercent: (n: z.ZodNumber) => n.gt(0).lt(100).describe('Service-level goal: percent answered within the threshold; default from settings'),
  thresholdSeconds: (n: z.ZodNumber) => n.int().min(1).max(3600).describe('Service-level threshold, seconds; default from settings'),
  maxOccupancyPercent: (n: z.ZodNumber) => n.gt(0).max(100).describe('Highest share of time agents may spend on contacts; default from settings'),
  shrinkagePercent: (n: z.ZodNumber) => n.min(0).max(90).describe('Share of scheduled time agents are unavailable; default from settings'),
  weeks: (n: z.ZodNumber) => n.int().min(1).max(52).describe('Past weeks the forecast averages (and patience and handle time are read from); default from settings'),
  patienceSeconds: (n: z.ZodNumber) =>
    n.min(1).max(86_400).describe('Mean patience of waiting callers for Erlang A, seconds; default: observed in the weeks read'),
};

const Model = z
  .enum(['erlang-c', 'erlang-a'])
  .default('erlang-c')
  .describe('Which model agentsRequired follows; both are always answered where they can be');

export const StaffingQuery = z.strictObject({
  date: LocalDate,
  interval: z
    .enum(['30', '60'])
    .default('30')
    .transform((value) => Number(value) as 30 | 60)
    .describe('Interval length in minutes'),
  targetPercent: limits.targetPercent(z.coerce.number()).optional(),
  thresholdSeconds: limits.thresholdSeconds(z.coerce.number()).optional(),
  maxOccupancyPercent: limits.maxOccupancyPercent(z.coerce.number()).optional(),
  shrinkagePercent: limits.shrinkagePercent(z.coerce.number()).optional(),
  weeks: limits.weeks(z.coerce.number()).optional(),
  model: Model,
  patienceSeconds: limits.patienceSeconds(z.coerce.number()).optional(),
});
export type StaffingQuery = z.infer<typeof StaffingQuery>;

export const ForecastRow = z.strictObject({
  start: TimeOfDay.describe('Local start of the interval, HH:MM; on the day the clocks go back it stands for both occurrences'),
  contacts: z.number().min(0).max(1_000_000).describe('Contacts expected in the interval'),
  averageHandleSeconds: z
    .number()
    .gt(0)
    .max(86_400)
    .optional()
    .describe("Expected handle time; default: the interval's history, else the overall history, else 300 s"),
});

export const StaffingForecastBody = z
  .strictObject({
    date: LocalDate,
    interval: z.union([z.literal(30), z.literal(60)]).default(30).describe('Interval length in minutes'),
    forecast: z.array(ForecastRow).min(1).max(50).describe('Intervals not listed are planned with no contacts'),
    targetPercent: limits.targetPercent(z.number()).optional(),
    thresholdSeconds: limits.thresholdSeconds(z.number()).optional(),
    maxOccupancyPercent: limits.maxOccupancyPercent(z.number()).optional(),
    shrinkagePercent: limits.shrinkagePercent(z.number()).optional(),
    weeks: limits.weeks(z.number()).optional(),
    model: Model,
    patienceSeconds: limits.patienceSeconds(z.number()).optional(),
  })
  .meta({ id: 'StaffingForecastBody' });
export type StaffingForecastBody = z.infer<typeof StaffingForecastBody>;

const NullablePercent = z.number().nullable().describe('Percent, two decimals; null for an interval without contacts');

const ModelFigures = z.object({
  agentsRequired: z.number().int().describe('Agents handling contacts needed for the goal within the occupancy cap'),
  scheduledAgents: z.number().int().describe('agentsRequired / (1 − shrinkage), rounded up'),
  serviceLevelPercent: NullablePercent.describe('Predicted share answered within the threshold at agentsRequired'),
  averageSpeedOfAnswerSeconds: z.number().nullable().describe('Predicted mean wait of answered contacts at agentsRequired'),
  occupancyPercent: NullablePercent,
  waitingPercent: NullablePercent.describe('Predicted share of contacts that wait at all'),
});

const StaffingInterval = z.object({
  start: z.string().describe('Local start, HH:MM'),
  startsAt: z.string().describe('Start instant with the offset in force then'),
  endsAt: z.string(),
  forecastContacts: z.number(),
  historyWeeks: z.number().int().nullable().describe('Past weeks averaged for this interval; null when the forecast was given'),
  averageHandleSeconds: z.number(),
  averageHandleSource: z.enum(['forecast', 'interval-history', 'overall-history', 'default']),
  trafficErlangs: z.number(),
  agentsRequired: z.number().int(),
  scheduledAgents: z.number().int(),
  serviceLevelPercent: NullablePercent,
  averageSpeedOfAnswerSeconds: z.number().nullable(),
  occupancyPercent: NullablePercent,
  erlangC: ModelFigures,
  erlangA: ModelFigures.extend({ abandonmentPercent: NullablePercent })
    .nullable()
    .describe('Erlang A (callers abandon at the patience shown); null when no patience is known'),
});

export const StaffingPlan = z
  .object({
    date: z.string(),
    timezone: z.string(),
    interval: z.union([z.literal(30), z.literal(60)]),
    model: z.enum(['erlang-c', 'erlang-a']),
    modelUsed: z.enum(['erlang-c', 'erlang-a']).describe('Erlang C when Erlang A was asked for but no patience is known'),
    target: z.object({
      serviceLevelPercent: z.number(),
      thresholdSeconds: z.number(),
      maxOccupancyPercent: z.number(),
      shrinkagePercent: z.number(),
    }),
    forecastSource: z.enum(['history', 'request']),
    history: z.object({
      weeks: z.number().int(),
      dates: z.array(z.string()).describe('The past days read (same weekday), newest first'),
      datesWithData: z.array(z.string()).describe('Those with any counted contact; the others count as missing'),
    }),
    observedPatienceSeconds: z.number().nullable(),
    patienceSeconds: z.number().nullable().describe('The patience Erlang A used'),
    overallAverageHandleSeconds: z.number().nullable(),
    intervals: z.array(StaffingInterval).describe('Every local interval of the day, in order: 46 or 50 half-hours at clock changes'),
    totals: z.object({ forecastContacts: z.number(), agentHours: z.number(), scheduledAgentHours: z.number() }),
    notes: z.array(z.string()).describe("Assumptions behind the figures, Erlang C's disregard of abandonment first"),
  })
  .meta({ id: 'StaffingPlan' });
