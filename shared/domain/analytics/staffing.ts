/**
 * Staffing per tenant-local interval of one day: a volume and handle-time forecast from the same
 * weekday and local time of past weeks (or one given by the caller), and the agents Erlang C and
 * Erlang A need for the service-level goal. Pure: the counters come in, a plan goes out.
 * Definitions: docs/metrics.md, "Staffing".
 */
import type { FieldError } from '../errors';
import type { CounterRow, Counters } from './counters';
import { slotMinutes } from './counters';
import {
  type ErlangAPrediction,
  type QueuePrediction,
  type StaffingTarget,
  erlangAAgents,
  erlangAPrediction,
  erlangCAgents,
  erlangCPrediction,
  scheduledAgents,
  trafficErlangs,
} from './erlang';
import { addDays, localTimeAt, startOfLocalDay, toLocalIso } from './intervals';

export type StaffingModel = 'erlang-c' | 'erlang-a';
export type IntervalMinutes = 30 | 60;

/** Handle time assumed when neither the request nor any past week says anything. */
export const defaultAverageHandleSeconds = 300;
/** Far beyond any tenant's interval; it bounds the work one request can ask for. */
export const maxTrafficErlangs = 20_000;

const minuteMs = 60_000;
const slotMs = slotMinutes * minuteMs;

export class InvalidForecast extends Error {
  constructor(readonly errors: FieldError[]) {
    super('Invalid forecast');
  }
}

/** One local interval of a day and the 30-minute UTC counter slots that belong to it. */
export interface LocalInterval {
  /** Local wall-clock start, HH:MM; twice on a day the clocks go back. */
  start: string;
  startsAt: number;
  endsAt: number;
  slotStarts: number[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The local intervals of `date` in `timeZone`, in order: 48 half-hours (or 24 hours) on most
 * days, 46/50 (23/25) where the clocks change. Each UTC slot starting within the local day
 * belongs to the interval its local start time falls in; the hour the clocks go back is two
 * intervals with the same `start` and different offsets.
 */
export function localIntervals(date: string, timeZone: string, intervalMinutes: IntervalMinutes): LocalInterval[] {
  const dayStart = startOfLocalDay(date, timeZone);
  const dayEnd = startOfLocalDay(addDays(date, 1), timeZone);
  const intervals: (LocalInterval & { key: string })[] = [];
  for (let slot = Math.ceil(dayStart / slotMs) * slotMs; slot < dayEnd; slot += slotMs) {
    const local = localTimeAt(slot, timeZone);
    const minuteOfDay = local.hour * 60 + local.minute;
    const bucket = Math.floor(minuteOfDay / intervalMinutes) * intervalMinutes;
    const key = `${bucket}|${local.offsetMinutes}`;
    const last = intervals[intervals.length - 1];
    if (last?.key === key) {
      last.slotStarts.push(slot);
      continue;
    }
    const startsAt = Math.max(dayStart, slot - (minuteOfDay - bucket) * minuteMs);
    intervals.push({
      key,
      start: `${pad(Math.floor(bucket / 60))}:${pad(bucket % 60)}`,
      startsAt,
      endsAt: Math.min(dayEnd, startsAt + intervalMinutes * minuteMs),
      slotStarts: [slot],
    });
  }
  return intervals.map(({ key: _key, ...interval }) => interval);
}

/** The `all`-dimension counter rows of one past day: the same weekday, some weeks back. */
export interface HistoryDay {
  date: string;
  rows: CounterRow[];
}

export interface ForecastRow {
  start: string;
  contacts: number;
  averageHandleSeconds?: number;
}

export interface StaffingInput {
  date: string;
  timeZone: string;
  intervalMinutes: IntervalMinutes;
  model: StaffingModel;
  target: { serviceLevelPercent: number; thresholdSeconds: number; maxOccupancyPercent: number; shrinkagePercent: number };
  /** How many past weeks the forecast was asked to average. */
  weeks: number;
  /** Those weeks' days that are over, newest first (historyDates). */
  history: HistoryDay[];
  /** The caller's forecast; when absent the history's averages are the forecast. */
  forecast?: ForecastRow[];
  /** Overrides the patience observed in the history. */
  patienceSeconds?: number;
  /**
   * The business calendar's special day on `date`, with its opening intervals as instants (none:
   * closed). Only intervals overlapping them are open; the others need no agents. Absent on an
   * ordinary day: every interval is open, since the same weekday's history carries its pattern.
   */
  specialDay?: { name: string; openings: { open: number; close: number }[] };
}

type AverageHandleSource = 'forecast' | 'interval-history' | 'overall-history' | 'default';

export interface ModelFigures {
  agentsRequired: number;
  scheduledAgents: number;
  serviceLevelPercent: number | null;
  averageSpeedOfAnswerSeconds: number | null;
  occupancyPercent: number | null;
  waitingPercent: number | null;
}

export interface ErlangAFigures extends ModelFigures {
  abandonmentPercent: number | null;
}

export interface StaffingInterval {
  start: string;
  /** False where the business calendar closes the interval: it needs no agents. */
  open: boolean;
  startsAt: string;
  endsAt: string;
  forecastContacts: number;
  /** Past weeks the forecast averaged for this interval; null for a forecast given in the request. */
  historyWeeks: number | null;
  averageHandleSeconds: number;
  averageHandleSource: AverageHandleSource;
  trafficErlangs: number;
  agentsRequired: number;
  scheduledAgents: number;
  serviceLevelPercent: number | null;
  averageSpeedOfAnswerSeconds: number | null;
  occupancyPercent: number | null;
  erlangC: ModelFigures;
  erlangA: ErlangAFigures | null;
}

export interface StaffingPlan {
  date: string;
  timezone: string;
  interval: IntervalMinutes;
  model: StaffingModel;
  /** The model the agents follow: Erlang C when Erlang A was asked for but no patience is known. */
  modelUsed: StaffingModel;
  target: StaffingInput['target'];
  /** `none`: no forecast was given and no past week has any counted contact, so there is nothing to plan from. */
  forecastSource: 'history' | 'request' | 'none';
  /** The past days read, and which of them had any counted contact. */
  history: { weeks: number; dates: string[]; datesWithData: string[] };
  observedPatienceSeconds: number | null;
  patienceSeconds: number | null;
  overallAverageHandleSeconds: number | null;
  intervals: StaffingInterval[];
  totals: { forecastContacts: number; agentHours: number; scheduledAgentHours: number };
  notes: string[];
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
const percent = (share: number) => round(share * 100, 2);
const seconds = (value: number) => (Number.isFinite(value) ? round(value, 2) : null);

interface IntervalHistory {
  contacts: number;
  weeks: number;
  handleSeconds: number;
  answered: number;
}

const counter = (counters: Counters, name: keyof Counters) => counters[name] ?? 0;

/**
 * Per target interval, the average offered contacts of the same local start time over the past
 * days that had any counted contact. A past day where that local time did not exist (the hour
 * skipped in spring) does not count for it; one where it occurred twice counts their mean.
 */
function historyByInterval(targets: LocalInterval[], history: HistoryDay[], timeZone: string, intervalMinutes: IntervalMinutes) {
  const perTarget: IntervalHistory[] = targets.map(() => ({ contacts: 0, weeks: 0, handleSeconds: 0, answered: 0 }));
  for (const day of history) {
    if (day.rows.length === 0) continue;
    const bySlot = new Map(day.rows.map((row) => [Date.parse(row.slotStart), row.counters]));
    const byStart = new Map<string, { offered: number; handleSeconds: number; answered: number }[]>();
    for (const interval of localIntervals(day.date, timeZone, intervalMinutes)) {
      const sums = { offered: 0, handleSeconds: 0, answered: 0 };
      for (const slot of interval.slotStarts) {
        const counters = bySlot.get(slot) ?? {};
        sums.offered += counter(counters, 'offered');
        sums.handleSeconds += counter(counters, 'handleSeconds');
        sums.answered += counter(counters, 'answered');
      }
      byStart.set(interval.start, [...(byStart.get(interval.start) ?? []), sums]);
    }
    targets.forEach((target, i) => {
      const occurrences = byStart.get(target.start);
      if (!occurrences) return;
      const entry = perTarget[i]!;
      entry.weeks += 1;
      entry.contacts += occurrences.reduce((sum, o) => sum + o.offered, 0) / occurrences.length;
      entry.handleSeconds += occurrences.reduce((sum, o) => sum + o.handleSeconds, 0);
      entry.answered += occurrences.reduce((sum, o) => sum + o.answered, 0);
    });
  }
  return perTarget;
}

function totalsOf(history: HistoryDay[]) {
  const totals = { handleSeconds: 0, answered: 0, queueSeconds: 0, abandonedInQueue: 0 };
  for (const row of history.flatMap((day) => day.rows)) {
    totals.handleSeconds += counter(row.counters, 'handleSeconds');
    totals.answered += counter(row.counters, 'answered');
    totals.queueSeconds += counter(row.counters, 'queueSeconds');
    totals.abandonedInQueue += counter(row.counters, 'abandonedInQueue');
  }
  return totals;
}

/** The caller's forecast keyed by local start; rejects starts the day does not have and repeats. */
function forecastByStart(forecast: ForecastRow[], intervals: LocalInterval[], intervalMinutes: IntervalMinutes) {
  const starts = new Set(intervals.map((interval) => interval.start));
  const byStart = new Map<string, ForecastRow>();
  const errors: FieldError[] = [];
  forecast.forEach((row, i) => {
    if (!starts.has(row.start)) {
      errors.push({ path: `$.forecast[${i}].start`, message: `Not the start of a ${intervalMinutes}-minute interval of this local day` });
    } else if (byStart.has(row.start)) {
      errors.push({ path: `$.forecast[${i}].start`, message: 'Each interval may appear once' });
    } else {
      byStart.set(row.start, row);
    }
  });
  if (errors.length > 0) throw new InvalidForecast(errors);
  return byStart;
}

const noFigures = { serviceLevelPercent: null, averageSpeedOfAnswerSeconds: null, occupancyPercent: null, waitingPercent: null };

function figuresOf(agents: number, shrinkage: number, prediction: QueuePrediction | undefined): ModelFigures {
  return {
    agentsRequired: agents,
    scheduledAgents: scheduledAgents(agents, shrinkage),
    ...(prediction
      ? {
          serviceLevelPercent: percent(prediction.serviceLevel),
          averageSpeedOfAnswerSeconds: seconds(prediction.averageSpeedOfAnswerSeconds),
          occupancyPercent: percent(prediction.occupancy),
          waitingPercent: percent(prediction.probabilityOfWaiting),
        }
      : noFigures),
  };
}

export function planStaffing(input: StaffingInput): StaffingPlan {
  if (!input.forecast && input.history.every((day) => day.rows.length === 0)) return withoutForecast(input);
  const { date, timeZone, intervalMinutes, target } = input;
  const intervals = localIntervals(date, timeZone, intervalMinutes);
  const given = input.forecast ? forecastByStart(input.forecast, intervals, intervalMinutes) : undefined;
  const past = historyByInterval(intervals, input.history, timeZone, intervalMinutes);
  const totals = totalsOf(input.history);
  const overallHandle = totals.answered > 0 ? totals.handleSeconds / totals.answered : undefined;
  const observedPatience = totals.abandonedInQueue > 0 ? totals.queueSeconds / totals.abandonedInQueue : undefined;
  const patience = input.patienceSeconds ?? observedPatience;
  const modelUsed: StaffingModel = input.model === 'erlang-a' && patience !== undefined ? 'erlang-a' : 'erlang-c';
  const periodSeconds = intervalMinutes * 60;
  const shrinkage = target.shrinkagePercent / 100;
  const goal: StaffingTarget = {
    serviceLevel: target.serviceLevelPercent / 100,
    thresholdSeconds: target.thresholdSeconds,
    maxOccupancy: target.maxOccupancyPercent / 100,
  };

  const planned = intervals.map((interval, i): StaffingInterval => {
    const history = past[i]!;
    const row = given?.get(interval.start);
    const open = isOpen(interval, input.specialDay);
    const contacts = !open ? 0 : given ? (row?.contacts ?? 0) : history.weeks > 0 ? history.contacts / history.weeks : 0;
    const [handle, handleSource]: [number, AverageHandleSource] =
      row?.averageHandleSeconds !== undefined
        ? [row.averageHandleSeconds, 'forecast']
        : history.answered > 0
          ? [history.handleSeconds / history.answered, 'interval-history']
          : overallHandle !== undefined
            ? [overallHandle, 'overall-history']
            : [defaultAverageHandleSeconds, 'default'];
    const traffic = trafficErlangs(contacts, periodSeconds, handle);
    if (traffic > maxTrafficErlangs) {
      const forecastIndex = input.forecast?.findIndex((forecastRow) => forecastRow === row) ?? -1;
      throw new InvalidForecast([
        {
          path: forecastIndex >= 0 ? `$.forecast[${forecastIndex}]` : 'query.date',
          message: `${interval.start}: ${Math.round(traffic)} Erlangs is more than the ${maxTrafficErlangs} this plans for one interval`,
        },
      ]);
    }
    const cAgents = erlangCAgents(traffic, handle, goal);
    const erlangC = figuresOf(cAgents, shrinkage, cAgents > 0 ? erlangCPrediction(cAgents, traffic, handle, goal.thresholdSeconds) : undefined);
    let erlangA: ErlangAFigures | null = null;
    if (patience !== undefined) {
      const aAgents = erlangAAgents(contacts, periodSeconds, handle, patience, goal);
      const prediction: ErlangAPrediction | undefined =
        aAgents > 0 ? erlangAPrediction(aAgents, contacts, periodSeconds, handle, patience, goal.thresholdSeconds) : undefined;
      erlangA = { ...figuresOf(aAgents, shrinkage, prediction), abandonmentPercent: prediction ? percent(prediction.probabilityOfAbandoning) : null };
    }
    const chosen = modelUsed === 'erlang-a' && erlangA ? erlangA : erlangC;
    return {
      start: interval.start,
      open,
      startsAt: toLocalIso(interval.startsAt, timeZone),
      endsAt: toLocalIso(interval.endsAt, timeZone),
      forecastContacts: round(contacts, 2),
      historyWeeks: given ? null : history.weeks,
      averageHandleSeconds: round(handle, 2),
      averageHandleSource: handleSource,
      trafficErlangs: round(traffic, 4),
      agentsRequired: chosen.agentsRequired,
      scheduledAgents: chosen.scheduledAgents,
      serviceLevelPercent: chosen.serviceLevelPercent,
      averageSpeedOfAnswerSeconds: chosen.averageSpeedOfAnswerSeconds,
      occupancyPercent: chosen.occupancyPercent,
      erlangC,
      erlangA,
    };
  });

  const datesWithData = input.history.filter((day) => day.rows.length > 0).map((day) => day.date);
  return {
    date,
    timezone: timeZone,
    interval: intervalMinutes,
    model: input.model,
    modelUsed,
    target,
    forecastSource: given ? 'request' : 'history',
    history: { weeks: input.weeks, dates: input.history.map((day) => day.date), datesWithData },
    observedPatienceSeconds: observedPatience === undefined ? null : round(observedPatience, 2),
    patienceSeconds: patience === undefined ? null : round(patience, 2),
    overallAverageHandleSeconds: overallHandle === undefined ? null : round(overallHandle, 2),
    intervals: planned,
    totals: {
      forecastContacts: round(planned.reduce((sum, interval) => sum + interval.forecastContacts, 0), 2),
      agentHours: round(planned.reduce((sum, interval) => sum + (interval.agentsRequired * (Date.parse(interval.endsAt) - Date.parse(interval.startsAt))) / 3_600_000, 0), 2),
      scheduledAgentHours: round(
        planned.reduce((sum, interval) => sum + (interval.scheduledAgents * (Date.parse(interval.endsAt) - Date.parse(interval.startsAt))) / 3_600_000, 0),
        2,
      ),
    },
    notes: notesFor(input, { modelUsed, patience, observedPatience, datesWithData, planned }),
  };
}

const isOpen = (interval: LocalInterval, specialDay: StaffingInput['specialDay']) =>
  !specialDay || specialDay.openings.some((opening) => opening.open < interval.endsAt && interval.startsAt < opening.close);

/**
 * No forecast given and no history to make one: intervals of zero contacts would read as "no
 * agents needed", so the plan has no intervals and says how to get one.
 */
function withoutForecast(input: StaffingInput): StaffingPlan {
  const read = input.history.length;
  return {
    date: input.date,
    timezone: input.timeZone,
    interval: input.intervalMinutes,
    model: input.model,
    modelUsed: 'erlang-c',
    target: input.target,
    forecastSource: 'none',
    history: { weeks: input.weeks, dates: input.history.map((day) => day.date), datesWithData: [] },
    observedPatienceSeconds: null,
    patienceSeconds: input.patienceSeconds ?? null,
    overallAverageHandleSeconds: null,
    intervals: [],
    totals: { forecastContacts: 0, agentHours: 0, scheduledAgentHours: 0 },
    notes: [
      `No forecast: none of the ${read} past days read (the same weekday, up to ${input.weeks} weeks back) has any counted contact, so there is nothing to plan from.`,
      'Give a forecast: POST /v1/analytics/staffing with forecast: [{ start: "HH:MM", contacts, averageHandleSeconds? }, …] for the intervals you expect contacts in.',
      'Or wait for history: once contacts are closed on this weekday, GET plans from the average of the weeks that have any.',
    ],
  };
}

function notesFor(
  input: StaffingInput,
  facts: { modelUsed: StaffingModel; patience?: number; observedPatience?: number; datesWithData: string[]; planned: StaffingInterval[] },
): string[] {
  const notes = [
    'Erlang C assumes no caller ever hangs up, so it overstates the agents needed where callers abandon; erlangA gives the figures with callers abandoning at the patience shown.',
    'agentsRequired is agents handling contacts; scheduledAgents adds shrinkage. Service level, ASA and occupancy are predicted for agentsRequired.',
  ];
  if (facts.patience === undefined) {
    notes.push('No contact abandoned in queue in the weeks read, so patience cannot be estimated and erlangA is null; pass patienceSeconds to give one.');
  } else if (input.patienceSeconds === undefined) {
    notes.push('Patience is Σ seconds in queue / contacts abandoned in queue over the weeks read (the maximum-likelihood mean of an exponential patience).');
  }
  if (input.model === 'erlang-a' && facts.modelUsed === 'erlang-c') notes.push('model=erlang-a was asked for, but without a patience the agents follow Erlang C.');
  if (!input.forecast) {
    const missing = input.weeks - facts.datesWithData.length;
    notes.push(
      `Forecast: offered contacts of the same weekday and local time, averaged over the ${facts.datesWithData.length} of the last ${input.weeks} weeks with any counted contact` +
        (missing > 0 ? `; ${missing} week(s) without any (or not over yet) were left out as missing, not counted as zero.` : '.'),
    );
  }
  const sources = new Set(facts.planned.filter((interval) => interval.forecastContacts > 0).map((interval) => interval.averageHandleSource));
  if (sources.has('overall-history')) notes.push('Where an interval had no answered contact in the weeks read, its handle time is the average over all of them.');
  if (sources.has('default')) notes.push(`No answered contact in the weeks read: handle time assumed ${defaultAverageHandleSeconds} s.`);
  const special = input.specialDay;
  if (special) {
    notes.push(
      special.openings.length === 0
        ? `${input.date} is ${special.name} in the business calendar, closed all day: no interval is open or needs agents.`
        : `${input.date} is ${special.name} in the business calendar, with its own hours: intervals outside them are closed and need no agents.`,
    );
    const closedRows = (input.forecast ?? []).filter((row) => !facts.planned.some((interval) => interval.start === row.start && interval.open) && row.contacts > 0);
    if (closedRows.length > 0) notes.push(`The forecast's contacts at ${closedRows.map((row) => row.start).join(', ')} fall in closed intervals and were not planned.`);
  }
  return notes;
}

/** The past days a forecast for `date` reads: the same weekday 1…weeks weeks earlier that are over by `now`. */
export function historyDates(date: string, weeks: number, timeZone: string, now: number): string[] {
  return Array.from({ length: weeks }, (_, i) => addDays(date, -7 * (i + 1))).filter(
    (day) => startOfLocalDay(addDays(day, 1), timeZone) <= now,
  );
}
