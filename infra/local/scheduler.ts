import type { InvokeFunction } from './event-bus';
import type { TwinClock } from './clock';

/** A request the Scheduler API refuses, with the error EventBridge Scheduler answers (its SDK raises the class of that name). */
export class SchedulerApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: 'ConflictException' | 'ResourceNotFoundException' | 'ValidationException',
    message: string,
  ) {
    super(message);
  }
}

export interface ScheduleTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
}

/** The fields of CreateSchedule/UpdateSchedule the twin honours; the others are kept and echoed. */
export interface ScheduleInput {
  ScheduleExpression?: string;
  ScheduleExpressionTimezone?: string;
  FlexibleTimeWindow?: { Mode?: string; MaximumWindowInMinutes?: number };
  ActionAfterCompletion?: 'NONE' | 'DELETE';
  State?: 'ENABLED' | 'DISABLED';
  Target?: ScheduleTarget;
  Description?: string;
  [other: string]: unknown;
}

export interface StoredSchedule extends ScheduleInput {
  Name: string;
  GroupName: string;
  Arn: string;
  at: Date;
  CreationDate: Date;
  LastModificationDate: Date;
}

export interface Firing {
  group: string;
  name: string;
  target: string;
  payload: unknown;
  at: string;
  firedAt: string;
  status: 'delivered' | 'failed';
  attempts: number;
  error?: string;
}

export interface LocalSchedulerOptions {
  clock: TwinClock;
  invoke: InvokeFunction;
  /** `arn:aws:lambda:local:000000000000:function:switchboard-local-`: a target ARN minus this is a declared function's name. */
  functionArnPrefix: string;
  /** How often the clock is checked for due schedules, in real time. */
  tickMs?: number;
  /** Backoff between retries of a failing target, in real time. */
  retryDelayMs?: number;
}

const accountId = '000000000000';
const atPattern = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;

/**
 * EventBridge Scheduler's one-time schedules, on the twin's clock: when a schedule's `at` is
 * reached, the target function is invoked with the schedule's Input, retried per its retry
 * policy on failure, and the schedule is deleted (ActionAfterCompletion DELETE) once done.
 * Only `at()` expressions in UTC are supported; rate() and cron() are refused.
 */
export class LocalScheduler {
  /** Most recent first. */
  readonly firings: Firing[] = [];
  private readonly schedules = new Map<string, StoredSchedule>();
  private readonly running = new Set<string>();
  private readonly ticker: NodeJS.Timeout;
  private readonly stopListening: () => void;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: LocalSchedulerOptions) {
    this.ticker = setInterval(() => this.tick(), options.tickMs ?? 100);
    this.ticker.unref();
    this.stopListening = options.clock.onChange(() => this.tick());
  }

  create(group: string, name: string, input: ScheduleInput): { ScheduleArn: string } {
    const key = scheduleKey(group, name);
    if (this.schedules.has(key)) throw new SchedulerApiError(409, 'ConflictException', `Schedule ${name} already exists.`);
    const now = new Date();
    const schedule = this.validated(group, name, input, now, now);
    this.schedules.set(key, schedule);
    this.tick();
    return { ScheduleArn: schedule.Arn };
  }

  update(group: string, name: string, input: ScheduleInput): { ScheduleArn: string } {
    const existing = this.schedules.get(scheduleKey(group, name));
    if (!existing) throw notFound(name);
    const schedule = this.validated(group, name, input, existing.CreationDate, new Date());
    this.schedules.set(scheduleKey(group, name), schedule);
    this.tick();
    return { ScheduleArn: schedule.Arn };
  }

  delete(group: string, name: string): void {
    if (!this.schedules.delete(scheduleKey(group, name))) throw notFound(name);
  }

  get(group: string, name: string): StoredSchedule {
    const schedule = this.schedules.get(scheduleKey(group, name));
    if (!schedule) throw notFound(name);
    return schedule;
  }

  list(): StoredSchedule[] {
    return [...this.schedules.values()].sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  /** Resolves once no due schedule is being fired or retried. */
  settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    clearInterval(this.ticker);
    this.stopListening();
    this.inFlight = 0;
    this.notifyIdle();
  }

  private validated(group: string, name: string, input: ScheduleInput, created: Date, modified: Date): StoredSchedule {
    if (!/^[0-9a-zA-Z-_.]{1,64}$/.test(name)) throw validation(`Name ${name} must be 1 to 64 characters of [0-9a-zA-Z-_.]`);
    if (!input.FlexibleTimeWindow?.Mode) throw validation('FlexibleTimeWindow is required');
    if (!input.Target?.Arn || !input.Target.RoleArn) throw validation('Target.Arn and Target.RoleArn are required');
    const expression = input.ScheduleExpression ?? '';
    const match = atPattern.exec(expression);
    if (!match) throw validation(`Invalid Schedule Expression ${expression}: the local twin supports at(yyyy-mm-ddThh:mm:ss) only`);
    const zone = input.ScheduleExpressionTimezone ?? 'UTC';
    if (zone !== 'UTC' && zone !== 'Etc/UTC') throw validation(`The local twin supports ScheduleExpressionTimezone UTC only, not ${zone}`);
    const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
    const at = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
    return {
      ...input,
      Name: name,
      GroupName: group,
      Arn: `arn:aws:scheduler:${process.env.AWS_REGION ?? 'local'}:${accountId}:schedule/${group}/${name}`,
      State: input.State ?? 'ENABLED',
      ActionAfterCompletion: input.ActionAfterCompletion ?? 'NONE',
      ScheduleExpressionTimezone: zone,
      at,
      CreationDate: created,
      LastModificationDate: modified,
    };
  }

  private tick(): void {
    if (this.closed) return;
    const now = this.options.clock.now().getTime();
    for (const [key, schedule] of this.schedules) {
      if (schedule.State !== 'ENABLED' || schedule.at.getTime() > now || this.running.has(key)) continue;
      this.running.add(key);
      this.inFlight++;
      void this.fire(key, schedule);
    }
  }

  private async fire(key: string, schedule: StoredSchedule): Promise<void> {
    const target = schedule.Target!;
    const name = target.Arn.startsWith(this.options.functionArnPrefix) ? target.Arn.slice(this.options.functionArnPrefix.length) : undefined;
    const payload = parseInput(target.Input);
    const firing: Firing = {
      group: schedule.GroupName,
      name: schedule.Name,
      target: name ?? target.Arn,
      payload,
      at: schedule.at.toISOString(),
      firedAt: this.options.clock.now().toISOString(),
      status: 'failed',
      attempts: 0,
    };
    const maxAttempts = 1 + Math.min(target.RetryPolicy?.MaximumRetryAttempts ?? 185, 5);
    try {
      while (!this.closed && firing.attempts < maxAttempts) {
        firing.attempts++;
        try {
          if (!name) throw new Error(`The local twin invokes this stage's functions only, not ${target.Arn}`);
          await this.options.invoke(name, structuredClone(payload));
          firing.status = 'delivered';
          delete firing.error;
          break;
        } catch (error) {
          firing.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          if (firing.attempts < maxAttempts) await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 200));
        }
      }
      if (this.closed) return;
      if (firing.status === 'failed') console.error(`[twin] schedule ${schedule.Name} failed after ${firing.attempts} attempts: ${firing.error}`);
      this.firings.unshift(firing);
      this.firings.length = Math.min(this.firings.length, 200);
      // A schedule replaced while it fired (UpdateSchedule) stays, for its new time.
      if (this.schedules.get(key) === schedule && schedule.ActionAfterCompletion === 'DELETE') this.schedules.delete(key);
      else if (this.schedules.get(key) === schedule) schedule.State = 'DISABLED';
    } finally {
      this.running.delete(key);
      if (!this.closed) {
        this.inFlight--;
        this.notifyIdle();
      }
    }
  }

  private notifyIdle(): void {
    if (this.inFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

const scheduleKey = (group: string, name: string) => `${group}/${name}`;
const notFound = (name: string) => new SchedulerApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
const validation = (message: string) => new SchedulerApiError(400, 'ValidationException', message);

function parseInput(input: string | undefined): unknown {
  if (input === undefined) return {};
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
}
