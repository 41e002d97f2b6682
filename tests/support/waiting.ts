import type { TestTwin } from './twin';

/**
 * Polls `read` until it gives a value (anything but undefined or false), for effects that
 * arrive asynchronously: events through the bus, timers, SMS. Fails naming `what` it waited for.
 * The one polling helper of the suite; 20 s by default, for faults whose retries back off.
 */
export async function eventually<T>(read: () => Promise<T | undefined | false> | T | undefined | false, what = 'the condition', timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until the twin has nothing left to do: inbound SMS and mail handled, no bus delivery outstanding,
 * and the table's stream read to its end with nothing new for the relay, so that what a consumer
 * wrote has been relayed and delivered too. Asserting that nothing (more) happened is only
 * meaningful after this, not after a sleep.
 */
export async function settle(twin: Pick<TestTwin, 'bus' | 'sms' | 'aws'>): Promise<void> {
  for (;;) {
    await twin.sms.settled();
    await twin.aws.inboundMail.settled();
    await twin.bus.settled();
    const stream = twin.aws.stream;
    if (!stream) return;
    const relayed = stream.invocations;
    // The first drained poll may have begun before the writes above; the second began after them.
    await stream.drained();
    await stream.drained();
    if (stream.invocations === relayed) return;
  }
}

/**
 * Moves the twin's clock and waits for the timers that fall due to fire (the scheduler takes them up
 * as the clock moves). The bus's work in flight is finished first: a consumer still running may be
 * about to set the very timer the test moves the clock for.
 */
export async function advanceClock(twin: Pick<TestTwin, 'clock' | 'scheduler' | 'bus'>, ms: number): Promise<void> {
  await twin.bus.settled();
  twin.clock.advance(ms);
  await twin.scheduler.settled();
}

/** Eight random digits, for phone numbers no other test uses. */
export const uniqueDigits = () => String(Math.floor(Math.random() * 1e8)).padStart(8, '0');

/** The details of the events of one type the twin's bus carried for a tenant, newest first. */
export const busEventDetails = (twin: Pick<TestTwin, 'bus'>, tenantId: string, detailType: string) =>
  twin.bus.recent
    .filter((record) => record.event['detail-type'] === detailType && (record.event.detail as { tenantId: string }).tenantId === tenantId)
    // Tests read events by the contract they check, not by a declared type.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    .map((record) => record.event.detail as any);
