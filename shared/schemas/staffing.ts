import * as z from '../zod';
import { isCalendarDate } from '../domain/business-calendar';

const LocalDate = z.withMeta(
  z.string().check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, 'Must be a date, YYYY-MM-DD'),
    z.refine(
      (value) => isCalendarDate(value) && value >= '2000-01-01' && value <= '2999-12-31',
      { message: 'Must be a calendar date between 2000-01-01 and 2999-12-31' },
    ),
  ),
  { description: 'The day to staff, in the tenant time zone', maxLength: 10 },
);

const TimeOfDay = z.withMeta(z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Must be HH:MM, 24-hour')), { maxLength: 5 });

const limits = {
  targetPercent: (n: z.ZodMiniNumber) =>
    z.described(n.check(z.gt(0), z.lt(100)), 'Service-level goal: percent answered within the threshold; default from settings'),
  thresholdSeconds: (n: z.ZodMiniNumber) =>
    z.described(n.check(z.int(), z.gte(1), z.lte(3600)), 'Service-level threshold, seconds; default from settings'),
  maxOccupancyPercent: (n: z.ZodMiniNumber) =>
    z.described(n.check(z.gt(0), z.lte(100)), 'Highest share of time agents may spend on contacts; default from settings'),
  shrinkagePercent: (n: z.ZodMiniNumber) =>
    z.described(n.check(z.gte(0), z.lte(90)), 'Share of scheduled time agents are unavailable; default from settings'),
  weeks: (n: z.ZodMiniNumber) =>
    z.described(
      n.check(z.int(), z.gte(1), z.lte(52)),
      'Past weeks the forecast averages (and patience and handle time are read from); default from settings',
    ),
  patienceSeconds: (n: z.ZodMiniNumber) =>
    z.described(
      n.check(z.gte(1), z.lte(86_400)),
      'Mean patience of waiting callers for Erlang A, seconds; default: observed in the weeks read',
    ),
};

const Model = z.described(
  z._default(z.enum(['erlang-c', 'erlang-a']), 'erlang-c'),
  'Which model agentsRequired follows; both are always answered where they can be',
);

export const StaffingQuery = z.strictObject({
  date: LocalDate,
  // The query string carries text; the document states the number it stands for, as the POST body takes it.
  interval: z.withMeta(
    z._default(
      z.pipe(
        z.enum(['30', '60']),
        z.transform((value) => Number(value) as 30 | 60),
      ),
      30,
    ),
    // zod leaves a default out of the input schema when a transform stands between: hence the text.
    { description: 'Interval length in minutes; default 30', type: 'integer', enum: [30, 60] },
  ),
  targetPercent: z.optional(limits.targetPercent(z.coerce.number())),
  thresholdSeconds: z.optional(limits.thresholdSeconds(z.coerce.number())),
  maxOccupancyPercent: z.optional(limits.maxOccupancyPercent(z.coerce.number())),
  shrinkagePercent: z.optional(limits.shrinkagePercent(z.coerce.number())),
  weeks: z.optional(limits.weeks(z.coerce.number())),
  model: Model,
  patienceSeconds: z.optional(limits.patienceSeconds(z.coerce.number())),
});
export type StaffingQuery = z.infer<typeof StaffingQuery>;

export const ForecastRow = z.strictObject({
  start: z.described(TimeOfDay, 'Local start of the interval, HH:MM; on the day the clocks go back it stands for both occurrences'),
  contacts: z.described(z.number().check(z.gte(0), z.lte(1_000_000)), 'Contacts expected in the interval'),
  averageHandleSeconds: z.described(
    z.optional(z.number().check(z.gt(0), z.lte(86_400))),
    "Expected handle time; default: the interval's history, else the overall history, else 300 s",
  ),
});

export const StaffingForecastBody = z.withMeta(
  z.strictObject({
    date: LocalDate,
    interval: z.described(z._default(z.withMeta(z.literal([30, 60]), { type: 'integer' }), 30), 'Interval length in minutes'),
    forecast: z.described(z.array(ForecastRow).check(z.minLength(1), z.maxLength(50)), 'Intervals not listed are planned with no contacts'),
    targetPercent: z.optional(limits.targetPercent(z.number())),
    thresholdSeconds: z.optional(limits.thresholdSeconds(z.number())),
    maxOccupancyPercent: z.optional(limits.maxOccupancyPercent(z.number())),
    shrinkagePercent: z.optional(limits.shrinkagePercent(z.number())),
    weeks: z.optional(limits.weeks(z.number())),
    model: Model,
    patienceSeconds: z.optional(limits.patienceSeconds(z.number())),
  }),
  { id: 'StaffingForecastBody' },
);
export type StaffingForecastBody = z.infer<typeof StaffingForecastBody>;

const NullablePercent = z.described(z.nullable(z.number()), 'Percent, two decimals; null for an interval without contacts');

const ModelFigures = z.object({
  agentsRequired: z.described(z.int(), 'Agents handling contacts needed for the goal within the occupancy cap'),
  scheduledAgents: z.described(z.int(), 'agentsRequired / (1 − shrinkage), rounded up'),
  serviceLevelPercent: z.described(NullablePercent, 'Predicted share answered within the threshold at agentsRequired'),
  averageSpeedOfAnswerSeconds: z.described(z.nullable(z.number()), 'Predicted mean wait of answered contacts at agentsRequired'),
  occupancyPercent: NullablePercent,
  waitingPercent: z.described(NullablePercent, 'Predicted share of contacts that wait at all'),
});

const StaffingInterval = z.object({
  start: z.described(TimeOfDay, 'Local start, HH:MM'),
  open: z.described(z.boolean(), 'False where the business calendar (settings.specialDays) closes the interval: it needs no agents'),
  startsAt: z.withMeta(z.string(), { format: 'date-time', description: 'Start instant with the offset in force then' }),
  endsAt: z.withMeta(z.string(), { format: 'date-time' }),
  forecastContacts: z.number(),
  historyWeeks: z.described(z.nullable(z.int()), 'Past weeks averaged for this interval; null when the forecast was given'),
  averageHandleSeconds: z.number(),
  averageHandleSource: z.enum(['forecast', 'interval-history', 'overall-history', 'default']),
  trafficErlangs: z.number(),
  agentsRequired: z.int(),
  scheduledAgents: z.int(),
  serviceLevelPercent: NullablePercent,
  averageSpeedOfAnswerSeconds: z.nullable(z.number()),
  occupancyPercent: NullablePercent,
  erlangC: ModelFigures,
  erlangA: z.described(
    z.nullable(z.extend(ModelFigures, { abandonmentPercent: NullablePercent })),
    'Erlang A (callers abandon at the patience shown); null when no patience is known',
  ),
});

export const StaffingPlan = z.withMeta(
  z.object({
    date: z.withMeta(z.string(), { format: 'date' }),
    timezone: z.string(),
    interval: z.union([z.literal(30), z.literal(60)]),
    model: z.enum(['erlang-c', 'erlang-a']),
    modelUsed: z.described(z.enum(['erlang-c', 'erlang-a']), 'Erlang C when Erlang A was asked for but no patience is known'),
    target: z.object({
      serviceLevelPercent: z.number(),
      thresholdSeconds: z.number(),
      maxOccupancyPercent: z.number(),
      shrinkagePercent: z.number(),
    }),
    forecastSource: z.described(
      z.enum(['history', 'request', 'none']),
      'none: no forecast was given and no past week read has any counted contact; intervals is then empty and notes say how to give one',
    ),
    history: z.object({
      weeks: z.int(),
      dates: z.described(z.array(z.string()), 'The past days read (same weekday), newest first'),
      datesWithData: z.described(z.array(z.string()), 'Those with any counted contact; the others count as missing'),
    }),
    observedPatienceSeconds: z.nullable(z.number()),
    patienceSeconds: z.described(z.nullable(z.number()), 'The patience Erlang A used'),
    overallAverageHandleSeconds: z.nullable(z.number()),
    intervals: z.described(
      z.array(StaffingInterval),
      'Every local interval of the day, in order: 46 or 50 half-hours at clock changes; empty when forecastSource is none',
    ),
    totals: z.object({ forecastContacts: z.number(), agentHours: z.number(), scheduledAgentHours: z.number() }),
    notes: z.described(z.array(z.string()), "Assumptions behind the figures, Erlang C's disregard of abandonment first"),
  }),
  { id: 'StaffingPlan' },
);
