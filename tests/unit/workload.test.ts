import { describe, expect, it } from 'vitest';
import { mapConcurrently } from '../../shared/concurrency';
import { peopleToCount, workloadConcurrency, workloadPeopleCap } from '../../shared/domain/workload';

describe('the people the workload counts', () => {
  const person = (name: string, role: 'agent' | 'viewer' | 'admin', state: 'active' | 'invited' | 'deactivated' = 'active') => ({ name, role, state });

  it('counts everyone up to the cap, those who work cases first', () => {
    const people = [person('viewer', 'viewer'), person('gone', 'agent', 'deactivated'), person('mei', 'agent'), person('new', 'admin', 'invited')];
    expect(peopleToCount(people)).toEqual({ counted: [people[2], people[3], people[0], people[1]], notCounted: 0 });
  });

  it('above the cap leaves out the rest, viewers and deactivated people first, and says how many', () => {
    const people = [person('viewer', 'viewer'), person('a', 'agent'), person('b', 'agent'), person('gone', 'agent', 'deactivated')];
    expect(peopleToCount(people, 2)).toEqual({ counted: [people[1], people[2]], notCounted: 2 });
    expect(peopleToCount(people, 3)).toEqual({ counted: [people[1], people[2], people[0]], notCounted: 1 });
  });

  it('caps at 500 by default', () => {
    const many = Array.from({ length: workloadPeopleCap + 3 }, (_, index) => person(`p${index}`, 'agent'));
    const { counted, notCounted } = peopleToCount(many);
    expect(counted).toHaveLength(500);
    expect(notCounted).toBe(3);
  });
});

describe('queries at a bounded concurrency', () => {
  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it(`runs at most ${workloadConcurrency} at a time, all of them, answers in order`, async () => {
    let running = 0;
    let most = 0;
    const items = Array.from({ length: 30 }, (_, index) => index);
    const answers = await mapConcurrently(items, workloadConcurrency, async (item) => {
      running++;
      most = Math.max(most, running);
      await delay(item % 3);
      running--;
      return item * 2;
    });
    expect(most).toBe(workloadConcurrency);
    expect(answers).toEqual(items.map((item) => item * 2));
  });

  it('rejects on the first failure and starts no more', async () => {
    const started: number[] = [];
    const failure = new Error('throttled');
    await expect(
      mapConcurrently([0, 1, 2, 3, 4, 5], 2, async (item) => {
        started.push(item);
        await delay(1);
        if (item === 1) throw failure;
        return item;
      }),
    ).rejects.toBe(failure);
    await delay(10);
    expect(started.length).toBeLessThan(6);
  });

  it('handles no items and refuses a limit below one', async () => {
    expect(await mapConcurrently([], 8, async () => 1)).toEqual([]);
    await expect(mapConcurrently([1], 0, async () => 1)).rejects.toThrow(RangeError);
  });
});
