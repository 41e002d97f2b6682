/**
 * The twin's clock for timers: it follows real time until a test moves it (`advance`, `set`);
 * from then on it keeps running from there. The local scheduler and the authorizer cache read it;
 * handlers still see the real time (unless the twin runs with functionsFollowClock, and then only
 * where they read shared/ports/clock.ts), so a timer's target must act on what the timer says,
 * not on `new Date()`.
 */
export class TwinClock {
  private offsetMs = 0;
  private readonly listeners = new Set<() => void>();

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The clock only moves forward: give a non-negative number of milliseconds');
    this.offsetMs += ms;
    this.changed();
    return this.now();
  }

  /** Moves the clock to `date`; back in time is allowed (timers already fired stay fired). */
  set(date: Date): Date {
    if (Number.isNaN(date.getTime())) throw new RangeError('Not a date');
    this.offsetMs = date.getTime() - Date.now();
    this.changed();
    return this.now();
  }

  /** Called whenever a test moves the clock. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
