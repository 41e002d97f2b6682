import {
  ConflictException,
  CreateScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AwsEmulator, localFunctionArnPrefix, localScheduleGroup, startAwsEmulator } from '../../infra/local/aws-emulator';
import { cancelTimer, functionArn, setTimer } from '../../shared/ports/scheduler';

/**
 * The twin's EventBridge Scheduler, driven through the same adapter the functions use
 * (shared/ports/scheduler.ts) and through the AWS SDK itself.
 */

const invocations: { name: string; event: unknown }[] = [];
let failNextInvocations = 0;
let emulator: AwsEmulator;
let sdk: SchedulerClient;

beforeAll(async () => {
  emulator = await startAwsEmulator({
    dynamoEndpoint: 'http://127.0.0.1:9', // no stream: nothing reads the table here
    tableName: 'unused',
    withoutStream: true,
    invoke: async (name, event) => {
      if (failNextInvocations > 0) {
        failNextInvocations--;
        throw new Error('target down');
      }
      invocations.push({ name, event });
    },
  });
  Object.assign(process.env, emulator.environment, { AWS_REGION: 'local', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
  sdk = new SchedulerClient({ endpoint: emulator.endpoint, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
});
afterAll(async () => {
  sdk.destroy();
  await emulator.close();
});
beforeEach(() => {
  invocations.length = 0;
  failNextInvocations = 0;
});

const inMinutes = (minutes: number) => new Date(emulator.clock.now().getTime() + minutes * 60_000);

async function advance(minutes: number) {
  emulator.clock.advance(minutes * 60_000);
  await emulator.scheduler.settled();
}

describe('the local EventBridge Scheduler', () => {
  it('fires a timer once when the clock passes its time, with its payload, then deletes it', async () => {
    await setTimer({ name: 'sla-case_1', at: inMinutes(30), target: 'sla-timer', payload: { caseId: 'case_1', kind: 'resolution' } });
    expect(emulator.scheduler.get(localScheduleGroup, 'sla-case_1').Target?.Arn).toBe(functionArn('sla-timer'));

    await advance(29);
    expect(invocations).toEqual([]);

    await advance(2);
    expect(invocations).toEqual([{ name: 'sla-timer', event: { caseId: 'case_1', kind: 'resolution' } }]);
    await expect(sdk.send(new GetScheduleCommand({ Name: 'sla-case_1', GroupName: localScheduleGroup }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );

    await advance(60);
    expect(invocations).toHaveLength(1);
  });

  it('moves a timer that is set again under the same name', async () => {
    await setTimer({ name: 'sla-case_2', at: inMinutes(10), target: 'sla-timer', payload: { v: 1 } });
    await setTimer({ name: 'sla-case_2', at: inMinutes(60), target: 'sla-timer', payload: { v: 2 } });

    await advance(30);
    expect(invocations).toEqual([]);
    await advance(31);
    expect(invocations).toEqual([{ name: 'sla-timer', event: { v: 2 } }]);
  });

  it('never fires a cancelled timer, and cancelling a missing one is fine', async () => {
    await setTimer({ name: 'sla-case_3', at: inMinutes(5), target: 'sla-timer', payload: {} });
    await cancelTimer('sla-case_3');
    await cancelTimer('sla-case_3');
    await advance(10);
    expect(invocations).toEqual([]);
  });

  it('answers a duplicate CreateSchedule with the SDK ConflictException, and GetSchedule describes the schedule', async () => {
    const input = {
      Name: 'dup',
      GroupName: localScheduleGroup,
      ScheduleExpression: 'at(2099-01-01T00:00:00)',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      Target: { Arn: `${localFunctionArnPrefix}sla-timer`, RoleArn: process.env.SCHEDULER_ROLE_ARN!, Input: '{}' },
    };
    await sdk.send(new CreateScheduleCommand(input));
    const error = await sdk.send(new CreateScheduleCommand(input)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictException);

    const described = await sdk.send(new GetScheduleCommand({ Name: 'dup', GroupName: localScheduleGroup }));
    expect(described).toMatchObject({ Name: 'dup', GroupName: localScheduleGroup, ScheduleExpression: 'at(2099-01-01T00:00:00)', State: 'ENABLED' });
    expect(described.CreationDate).toBeInstanceOf(Date);
    await cancelTimer('dup');
  });

  it('refuses expressions it cannot run rather than never firing them', async () => {
    const error = await sdk
      .send(
        new CreateScheduleCommand({
          Name: 'cron',
          GroupName: localScheduleGroup,
          ScheduleExpression: 'rate(5 minutes)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: `${localFunctionArnPrefix}sla-timer`, RoleArn: 'arn:aws:iam::000000000000:role/r' },
        }),
      )
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('ValidationException');
  });

  it('retries a failing target and records the firing', async () => {
    failNextInvocations = 2;
    await setTimer({ name: 'flaky', at: inMinutes(1), target: 'sla-timer', payload: { n: 1 } });
    await advance(2);
    expect(invocations).toEqual([{ name: 'sla-timer', event: { n: 1 } }]);
    expect(emulator.scheduler.firings[0]).toMatchObject({ name: 'flaky', status: 'delivered', attempts: 3 });
  });
});
