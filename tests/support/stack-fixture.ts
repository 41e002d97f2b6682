/** A bundle to throw from, for tests/unit/stacktrace.test.ts: the line numbers below are asserted there. */
export function handler(input: { amount: number }): number {
  return checkedAmount(input.amount);
}

function checkedAmount(amount: number): number {
  if (amount < 0) throw new RangeError('amount must not be negative');
  return amount;
}
