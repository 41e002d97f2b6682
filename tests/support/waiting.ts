import type { TestTwin } from './twin';

/**
 * Polls `read` until it gives a value (anything but undefined or false), for effects that
 * arrive asynchronously: events through the bus, timers, SMS. Fails naming `what` it waited for.
 */
export async function eventually<T>(read: () => Promise<T | undefined | false> | T | undefined | false, what = 'the condition', timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until the twin has nothing left to do: inbound SMS handled, and the bus quiet for a
 * while (a consumer's writes reach the stream and the relay a moment after it returns).
 */
export async function settle(twin: Pick<TestTwin, 'bus' | 'sms'>): Promise<void> {
  await twin.sms.settled();
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    await twin.bus.settled();
  }
}

/** Moves the twin's clock and waits for the timers that fall due to fire. */
export async function advanceClock(twin: Pick<TestTwin, 'clock' | 'scheduler'>, ms: number): Promise<void> {
  twin.clock.advance(ms);
  await new Promise((resolve) => setTimeout(resolve, 50));
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
