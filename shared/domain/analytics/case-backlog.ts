import type { Case } from '../../schemas/case';
import type { CaseStatus, SlaKind } from '../../schemas/vocabulary';

/** The statuses of a case still to be handled: the backlog. */
export const backlogStatuses = ['open', 'in_progress', 'awaiting_customer'] as const satisfies readonly CaseStatus[];
export type BacklogStatus = (typeof backlogStatuses)[number];

/** The deadline lists of the backlog: cases that missed a deadline, and cases whose next one still runs. */
export type DeadlineList = 'breached' | 'running';

export interface BacklogDeadline {
  list: DeadlineList;
  kind: SlaKind;
  dueAt: string;
}

/**
 * Where an unresolved case counts: its status, the UTC hour it was opened in (ages are counted
 * to the hour), and the one deadline list it is on. A resolved or closed case counts nowhere.
 */
export interface BacklogEntry {
  status: BacklogStatus;
  openedHour: string;
  deadline?: BacklogDeadline;
}

const hourMs = 3_600_000;
const kinds: readonly SlaKind[] = ['firstResponse', 'resolution'];

export const isBacklogStatus = (status: CaseStatus): status is BacklogStatus => (backlogStatuses as readonly CaseStatus[]).includes(status);

/** The start of the UTC hour `iso` falls in, as an ISO instant. */
export function hourOf(iso: string): string {
  const ms = Date.parse(iso);
  return new Date(ms - (((ms % hourMs) + hourMs) % hourMs)).toISOString();
}

/**
 * The deadline a case is listed by. A missed one (the first, when both were missed) puts it on
 * the breached list, dated by the deadline it missed; otherwise the deadline it still has to meet
 * (first response until met, then resolution) puts it on the running list. None: both met.
 */
export function listedDeadline(c: Pick<Case, 'sla'>): BacklogDeadline | undefined {
  for (const kind of kinds) {
    const clock = c.sla[kind];
    if (clock.breachedAt) return { list: 'breached', kind, dueAt: clock.dueAt };
  }
  for (const kind of kinds) {
    const clock = c.sla[kind];
    if (!clock.metAt) return { list: 'running', kind, dueAt: clock.dueAt };
  }
  return undefined;
}

export function backlogEntryOf(c: Pick<Case, 'status' | 'openedAt' | 'sla'>): BacklogEntry | undefined {
  if (!isBacklogStatus(c.status)) return undefined;
  const deadline = listedDeadline(c);
  return { status: c.status, openedHour: hourOf(c.openedAt), ...(deadline && { deadline }) };
}

/** What moving a case's projection from `before` to `after` adds to the backlog counters. */
export function counterMoves(before: BacklogEntry | undefined, after: BacklogEntry | undefined): { status: BacklogStatus; openedHour: string; delta: 1 | -1 }[] {
  const same = before && after && before.status === after.status && before.openedHour === after.openedHour;
  if (same) return [];
  return [
    ...(before ? [{ status: before.status, openedHour: before.openedHour, delta: -1 as const }] : []),
    ...(after ? [{ status: after.status, openedHour: after.openedHour, delta: 1 as const }] : []),
  ];
}

export const sameDeadline = (a: BacklogDeadline | undefined, b: BacklogDeadline | undefined) =>
  a?.list === b?.list && a?.kind === b?.kind && a?.dueAt === b?.dueAt;

/** The age bands a supervisor reads a backlog by, each with the age (hours) it starts at. */
export const ageBands = [
  { band: 'day', fromHours: 0 },
  { band: 'days3', fromHours: 24 },
  { band: 'week', fromHours: 72 },
  { band: 'month', fromHours: 168 },
  { band: 'older', fromHours: 720 },
] as const;
export type AgeBand = (typeof ageBands)[number]['band'];

/**
 * The band of a case opened in the UTC hour starting `openedHour`, seen at `nowMs`. Its age is
 * counted from the end of that hour, so a case is never shown older than it is: at worst it shows
 * up to an hour younger, and moves to the next band within the hour after its true age passes.
 */
export function ageBandOf(openedHour: string, nowMs: number): AgeBand {
  const ageHours = (nowMs - (Date.parse(openedHour) + hourMs)) / hourMs;
  let found: AgeBand = 'day';
  for (const { band, fromHours } of ageBands) if (ageHours >= fromHours) found = band;
  return found;
}

export interface BacklogCounter {
  status: BacklogStatus;
  openedHour: string;
  cases: number;
}

export type BandCounts = Record<AgeBand, number>;

export interface BacklogFigures {
  total: number;
  byStatus: { status: BacklogStatus; total: number; byAge: BandCounts }[];
  byAge: BandCounts;
  oldestOpenedHour?: string;
}

const noBands = (): BandCounts => ({ day: 0, days3: 0, week: 0, month: 0, older: 0 });

/**
 * The backlog by status and age band from its counters. A counter below zero (a case's move
 * counted before its opening, while events arrive out of order) is counted as it is: the
 * figures settle when both are in.
 */
export function backlogFigures(counters: readonly BacklogCounter[], nowMs: number): BacklogFigures {
  const byStatus = backlogStatuses.map((status) => ({ status, total: 0, byAge: noBands() }));
  const byAge = noBands();
  let oldest: string | undefined;
  for (const counter of counters) {
    if (counter.cases === 0) continue;
    const entry = byStatus.find((candidate) => candidate.status === counter.status);
    if (!entry) continue;
    const band = ageBandOf(counter.openedHour, nowMs);
    entry.total += counter.cases;
    entry.byAge[band] += counter.cases;
    byAge[band] += counter.cases;
    if (counter.cases > 0 && (!oldest || counter.openedHour < oldest)) oldest = counter.openedHour;
  }
  return { total: byStatus.reduce((sum, entry) => sum + entry.total, 0), byStatus, byAge, ...(oldest && { oldestOpenedHour: oldest }) };
}

/** How far ahead the nearly-breached list looks. */
export const nearlyBreachedWithinMs = 24 * hourMs;
