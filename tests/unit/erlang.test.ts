import { describe, expect, it } from 'vitest';
import {
  erlangAAgents,
  erlangAPrediction,
  erlangB,
  erlangC,
  erlangCAgents,
  erlangCPrediction,
  scheduledAgents,
  trafficErlangs,
} from '../../shared/domain/analytics/erlang';

/** Erlang B by its defining sum, (A^N/N!) / Σ_{k≤N} A^k/k!: a different method from the recursion. */
function erlangBBySum(agents: number, traffic: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= agents; k++) {
    term *= traffic / k;
    sum += term;
  }
  return term / sum;
}

/** Erlang C by its defining sum: (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)). */
function erlangCBySum(agents: number, traffic: number): number {
  let term = 1;
  let below = 0;
  for (let k = 0; k < agents; k++) {
    below += term;
    term *= traffic / (k + 1);
  }
  const waiting = (term * agents) / (agents - traffic);
  return waiting / (below + waiting);
}

describe('Erlang B', () => {
  // Published Erlang B table values (e.g. the Erlang B tables in ITU-T's Teletraffic Engineering
  // Handbook and every traffic table derived from it): B(N=10, A=10) = 0.2146, B(N=10, A=5) = 0.0184,
  // B(N=1, A=1) = 0.5, B(N=2, A=1) = 0.2.
  it.each([
    [10, 10, 0.2146],
    [10, 5, 0.0184],
    [1, 1, 0.5],
    [2, 1, 0.2],
  ])('B(N=%i, A=%f) matches the published table value %f', (agents, traffic, published) => {
    expect(erlangB(agents, traffic)).toBeCloseTo(published, 4);
  });

  it.each([
    [5, 2],
    [20, 15.3],
    [50, 42],
    [120, 100],
  ])('agrees with the defining sum for N=%i, A=%f', (agents, traffic) => {
    expect(erlangB(agents, traffic)).toBeCloseTo(erlangBBySum(agents, traffic), 12);
  });

  it('stays finite where A^N and N! overflow a double', () => {
    const blocking = erlangB(2000, 1900);
    expect(Number.isFinite(blocking)).toBe(true);
    expect(blocking).toBeGreaterThan(0);
    expect(blocking).toBeLessThan(0.1);
  });
});

describe('Erlang C', () => {
  // The worked example published by Call Centre Helper ("Erlang C formula – made simple") and
  // reproduced in most workforce-management primers: 100 calls in 30 minutes, AHT 180 s, so
  // A = 10 Erlangs; with 11 agents P(wait) = 68.21 % and ASA = 122.8 s; service level in 20 s is
  // 39.0 % / 64.0 % / 79.6 % / 88.8 % / 94.1 % for 11–15 agents, so 80/20 needs 14 agents (ASA 7.8 s),
  // 20 on the schedule with 30 % shrinkage.
  const traffic = trafficErlangs(100, 1800, 180);

  it('reads 100 calls per half hour at 180 s as 10 Erlangs', () => {
    expect(traffic).toBeCloseTo(10, 12);
  });

  it('gives the published probability of waiting and ASA for 11 agents', () => {
    const prediction = erlangCPrediction(11, traffic, 180, 20);
    expect(prediction.probabilityOfWaiting).toBeCloseTo(0.6821, 4);
    expect(prediction.averageSpeedOfAnswerSeconds).toBeCloseTo(122.8, 1);
    expect(prediction.occupancy).toBeCloseTo(10 / 11, 12);
  });

  it.each([11, 12, 13, 14, 20])('agrees with the defining sum for N=%i (service level and ASA by hand)', (agents) => {
    const waiting = erlangCBySum(agents, traffic);
    const prediction = erlangCPrediction(agents, traffic, 180, 20);
    expect(erlangC(agents, traffic)).toBeCloseTo(waiting, 12);
    expect(prediction.serviceLevel).toBeCloseTo(1 - waiting * Math.exp(-((agents - traffic) * 20) / 180), 12);
    expect(prediction.averageSpeedOfAnswerSeconds).toBeCloseTo((waiting * 180) / (agents - traffic), 9);
  });

  it.each([
    [11, 39.0],
    [12, 64.0],
    [13, 79.6],
    [14, 88.8],
    [15, 94.1],
  ])('gives the published service level in 20 s for %i agents (%f %)', (agents, publishedPercent) => {
    expect(erlangCPrediction(agents, traffic, 180, 20).serviceLevel).toBeCloseTo(publishedPercent / 100, 3);
  });

  it('needs 14 agents for 80 % in 20 s, the published answer: 13 reach only 79.6 %', () => {
    const target = { serviceLevel: 0.8, thresholdSeconds: 20, maxOccupancy: 1 };
    expect(erlangCAgents(traffic, 180, target)).toBe(14);
    expect(erlangCPrediction(13, traffic, 180, 20).serviceLevel).toBeLessThan(0.8);
    expect(erlangCPrediction(14, traffic, 180, 20).averageSpeedOfAnswerSeconds).toBeCloseTo(7.8, 1);
    // 30 % shrinkage: the example's 20 agents on the schedule.
    expect(scheduledAgents(14, 0.3)).toBe(20);
  });

  it('adds agents when the occupancy cap binds before the service level does', () => {
    // 200 calls per half hour at 270 s: A = 30. 80/20 needs 35 agents by Erlang C (occupancy 0.857);
    // a cap of 80 % occupancy needs ceil(30 / 0.8) = 38.
    const big = trafficErlangs(200, 1800, 270);
    const serviceOnly = erlangCAgents(big, 270, { serviceLevel: 0.8, thresholdSeconds: 20, maxOccupancy: 1 });
    expect(big / serviceOnly).toBeGreaterThan(0.8);
    expect(erlangCAgents(big, 270, { serviceLevel: 0.8, thresholdSeconds: 20, maxOccupancy: 0.8 })).toBe(38);
    expect(erlangCAgents(big, 270, { serviceLevel: 0.8, thresholdSeconds: 20, maxOccupancy: 0.85 })).toBe(Math.max(serviceOnly, Math.ceil(30 / 0.85)));
  });

  it('answers no traffic with no agents', () => {
    expect(erlangCAgents(0, 300, { serviceLevel: 0.8, thresholdSeconds: 20, maxOccupancy: 0.85 })).toBe(0);
    expect(scheduledAgents(0, 0.3)).toBe(0);
  });

  it('schedules enough agents to cover shrinkage, rounding up', () => {
    expect(scheduledAgents(13, 0.3)).toBe(19); // 13 / 0.7 = 18.57
    expect(scheduledAgents(14, 0.3)).toBe(20); // exactly 20
    expect(scheduledAgents(13, 0)).toBe(13);
  });
});

/** A seeded generator (mulberry32), so the simulation is the same every run. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * M/M/N+M simulated caller by caller. Under FCFS a caller who hangs up never holds an agent, so
 * taking callers in arrival order and giving each the earliest free agent, if that comes before
 * their patience runs out, is an exact simulation.
 */
function simulate(agents: number, arrivalRate: number, handleSeconds: number, patienceSeconds: number, thresholdSeconds: number, callers: number, seed: number) {
  const random = seededRandom(seed);
  const exponential = (mean: number) => -mean * Math.log(1 - random());
  const freeAt = new Array<number>(agents).fill(0);
  let now = 0;
  let waited = 0;
  let abandoned = 0;
  let answeredWithin = 0;
  let answered = 0;
  let waitOfAnswered = 0;
  const warmUp = Math.floor(callers / 20);
  for (let i = 0; i < callers + warmUp; i++) {
    now += exponential(1 / arrivalRate);
    const patience = exponential(patienceSeconds);
    let agent = 0;
    for (let j = 1; j < agents; j++) if (freeAt[j]! < freeAt[agent]!) agent = j;
    const start = Math.max(now, freeAt[agent]!);
    const counted = i >= warmUp;
    if (counted && start > now) waited++;
    if (start - now > patience) {
      if (counted) abandoned++;
      continue;
    }
    freeAt[agent] = start + exponential(handleSeconds);
    if (!counted) continue;
    answered++;
    waitOfAnswered += start - now;
    if (start - now <= thresholdSeconds) answeredWithin++;
  }
  return {
    probabilityOfWaiting: waited / callers,
    probabilityOfAbandoning: abandoned / callers,
    serviceLevel: answeredWithin / callers,
    averageSpeedOfAnswerSeconds: waitOfAnswered / answered,
  };
}

describe('Erlang A', () => {
  it('becomes Erlang C as patience grows without bound', () => {
    for (const agents of [11, 12, 13, 15]) {
      const a = erlangAPrediction(agents, 100, 1800, 180, 1e12, 20);
      const c = erlangCPrediction(agents, 10, 180, 20);
      expect(a.probabilityOfWaiting).toBeCloseTo(c.probabilityOfWaiting, 6);
      expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 6);
      expect(a.averageSpeedOfAnswerSeconds).toBeCloseTo(c.averageSpeedOfAnswerSeconds, 3);
      expect(a.probabilityOfAbandoning).toBeLessThan(1e-6);
    }
  });

  it.each([
    // agents, calls per 30 min, AHT, patience, threshold
    [11, 100, 180, 120, 20],
    [9, 100, 180, 60, 20],
    [13, 100, 180, 300, 30],
    [4, 40, 240, 90, 20],
  ])('agrees with a seeded simulation: N=%i, %i calls/30 min, AHT %i s, patience %i s, %i s threshold', (agents, contacts, handle, patience, threshold) => {
    const model = erlangAPrediction(agents, contacts, 1800, handle, patience, threshold);
    const simulated = simulate(agents, contacts / 1800, handle, patience, threshold, 400_000, 20261122 + agents);
    expect(Math.abs(model.probabilityOfWaiting - simulated.probabilityOfWaiting)).toBeLessThan(0.01);
    expect(Math.abs(model.probabilityOfAbandoning - simulated.probabilityOfAbandoning)).toBeLessThan(0.01);
    expect(Math.abs(model.serviceLevel - simulated.serviceLevel)).toBeLessThan(0.01);
    expect(Math.abs(model.averageSpeedOfAnswerSeconds - simulated.averageSpeedOfAnswerSeconds)).toBeLessThan(0.05 * simulated.averageSpeedOfAnswerSeconds + 0.5);
  });

  it('counts abandonment consistently with the abandonment flow of the birth-death chain', () => {
    // Little's law on the abandoning: λ·P(abandon) = γ·E[queue length].
    const agents = 9;
    const arrivalRate = 100 / 1800;
    const patience = 60;
    const model = erlangAPrediction(agents, 100, 1800, 180, patience, 20);
    let total = 0;
    // π_j up to scale, the whole chain from 0.
    const pi: number[] = [];
    let p = 1;
    for (let j = 0; j < 2000; j++) {
      pi.push(p);
      total += p;
      p *= arrivalRate / (Math.min(j + 1, agents) / 180 + Math.max(j + 1 - agents, 0) / patience);
    }
    const queueLength = pi.reduce((sum, value, j) => sum + (Math.max(j - agents, 0) * value) / total, 0);
    expect(model.probabilityOfAbandoning * arrivalRate).toBeCloseTo(queueLength / patience, 9);
  });

  it('needs no more agents than Erlang C, and none for no traffic', () => {
    const target = { serviceLevel: 0.8, thresholdSeconds: 20, maxOccupancy: 1 };
    const withAbandonment = erlangAAgents(100, 1800, 180, 90, target);
    expect(withAbandonment).toBeLessThanOrEqual(13);
    expect(erlangAPrediction(withAbandonment, 100, 1800, 180, 90, 20).serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(erlangAPrediction(withAbandonment - 1, 100, 1800, 180, 90, 20).serviceLevel).toBeLessThan(0.8);
    expect(erlangAAgents(0, 1800, 180, 90, target)).toBe(0);
  });
});
