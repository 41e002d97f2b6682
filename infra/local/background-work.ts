/**
 * The twin's asynchronous, at-least-once work (bus deliveries, inbound SMS): how much is
 * outstanding, the timers that run it and its retries, and who waits for it all to settle.
 */
export class BackgroundWork {
  private outstanding = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Counts a new piece of work and runs it on a later turn, never inside the caller's request. */
  start(run: () => Promise<void>): void {
    this.outstanding++;
    this.later(0, run);
  }

  /** Runs a retry of outstanding work after `ms`. */
  later(ms: number, run: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void run();
    }, ms);
    this.timers.add(timer);
  }

  /** A piece of work is over, delivered or given up on. */
  finish(): void {
    this.outstanding--;
    this.notifyIdle();
  }

  /** Resolves once nothing is outstanding. */
  settled(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops everything still waiting to run. */
  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.outstanding = 0;
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.outstanding > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
