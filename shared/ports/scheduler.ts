import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';

/**
 * One-time timers, behind a small port: EventBridge Scheduler in AWS (and against the local
 * twin's emulation of its API). A timer fires once at `at` by invoking the Lambda function
 * named by `target` with `payload` as its event, then deletes itself.
 */
export interface OneTimeTimer {
  /** Unique within the schedule group; at most 64 characters of [0-9a-zA-Z-_.]. */
  name: string;
  at: Date;
  /** The event function to invoke, by its declared name (`functions/<target>/handler.ts`). */
  target: string;
  payload: Record<string, unknown>;
}

let client: SchedulerClient | undefined;
function scheduler(): SchedulerClient {
  const endpoint = process.env.SCHEDULER_ENDPOINT;
  client ??= new SchedulerClient(endpoint ? { endpoint } : {});
  return client;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** `at()` takes a wall-clock time without zone; we always give UTC, to the second, rounded up. */
export const atExpression = (at: Date) => `at(${new Date(Math.ceil(at.getTime() / 1000) * 1000).toISOString().slice(0, 19)})`;

/** The ARN of a declared function of this stage; the stack names functions `switchboard-<stage>-<name>`. */
export function functionArn(target: string): string {
  return `${required('FUNCTION_ARN_PREFIX')}${target}`;
}

function scheduleInput(timer: OneTimeTimer) {
  return {
    Name: timer.name,
    GroupName: required('SCHEDULE_GROUP_NAME'),
    ScheduleExpression: atExpression(timer.at),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    ActionAfterCompletion: 'DELETE' as const,
    Target: {
      Arn: functionArn(timer.target),
      RoleArn: required('SCHEDULER_ROLE_ARN'),
      Input: JSON.stringify(timer.payload),
      RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 24 * 60 * 60 },
    },
  };
}

/** Creates the timer, or moves it when one of that name exists: setting a timer twice is harmless. */
export async function setTimer(timer: OneTimeTimer): Promise<void> {
  try {
    await scheduler().send(new CreateScheduleCommand(scheduleInput(timer)));
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error;
    await scheduler().send(new UpdateScheduleCommand(scheduleInput(timer)));
  }
}

/** Removes the timer; one that already fired or never existed is fine. */
export async function cancelTimer(name: string): Promise<void> {
  try {
    await scheduler().send(new DeleteScheduleCommand({ Name: name, GroupName: required('SCHEDULE_GROUP_NAME') }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
}
