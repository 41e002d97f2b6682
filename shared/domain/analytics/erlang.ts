/**
 * Queueing formulas for staffing: Erlang B, Erlang C (M/M/N, callers wait forever) and Erlang A
 * (M/M/N+M, callers abandon after an exponential patience). Pure functions of the offered load;
 * every time is in seconds. Definitions and the worked example: docs/metrics.md, "Staffing".
 */

/** Offered traffic in Erlangs: arrivals per second × mean handle time. */
export const trafficErlangs = (contacts: number, periodSeconds: number, averageHandleSeconds: number) =>
  (contacts / periodSeconds) * averageHandleSeconds;

/**
 * Erlang B blocking probability by the recursion B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)),
 * which never forms A^N or N! and so stays exact for thousands of agents.
 */
export function erlangB(agents: number, traffic: number): number {
  let blocking = 1;
  for (let n = 1; n <= agents; n++) blocking = (traffic * blocking) / (n + traffic * blocking);
  return blocking;
}

/** Erlang C: the probability an arrival waits. 1 when the agents cannot keep up (N ≤ A). */
export function erlangC(agents: number, traffic: number): number {
  if (traffic <= 0) return 0;
  if (agents <= traffic) return 1;
  const blocking = erlangB(agents, traffic);
  return (agents * blocking) / (agents - traffic * (1 - blocking));
}

export interface QueuePrediction {
  /** Share of arrivals that wait at all. */
  probabilityOfWaiting: number;
  /** Share of arrivals answered within the threshold (answered at once included). */
  serviceLevel: number;
  /** Average speed of answer: mean wait of answered contacts, seconds. */
  averageSpeedOfAnswerSeconds: number;
  /** Share of agent time busy with contacts. */
  occupancy: number;
}

export interface ErlangAPrediction extends QueuePrediction {
  /** Share of arrivals that hang up before being answered. */
  probabilityOfAbandoning: number;
}

/** Erlang C figures for N agents: SL = 1 − C·e^{−(N−A)t/AHT}, ASA = C·AHT/(N−A), occupancy A/N. */
export function erlangCPrediction(agents: number, traffic: number, averageHandleSeconds: number, thresholdSeconds: number): QueuePrediction {
  if (agents <= traffic) {
    return { probabilityOfWaiting: 1, serviceLevel: 0, averageSpeedOfAnswerSeconds: Number.POSITIVE_INFINITY, occupancy: 1 };
  }
  const waiting = erlangC(agents, traffic);
  return {
    probabilityOfWaiting: waiting,
    serviceLevel: 1 - waiting * Math.exp((-(agents - traffic) * thresholdSeconds) / averageHandleSeconds),
    averageSpeedOfAnswerSeconds: (waiting * averageHandleSeconds) / (agents - traffic),
    occupancy: traffic / agents,
  };
}

export interface StaffingTarget {
  /** Share to answer within the threshold, 0–1. */
  serviceLevel: number;
  thresholdSeconds: number;
  /** Highest acceptable occupancy, 0–1: above it agents burn out whatever the service level. */
  maxOccupancy: number;
}

/** Fewest agents for which Erlang C meets the service level with occupancy at most the cap; 0 for no traffic. */
export function erlangCAgents(traffic: number, averageHandleSeconds: number, target: StaffingTarget): number {
  if (traffic <= 0) return 0;
  let agents = Math.max(Math.floor(traffic) + 1, Math.ceil(traffic / target.maxOccupancy - 1e-9));
  while (erlangCPrediction(agents, traffic, averageHandleSeconds, target.thresholdSeconds).serviceLevel < target.serviceLevel) agents++;
  return agents;
}

/** Agents to put on the schedule so that `agents` are on the phones after shrinkage (breaks, training, absence). */
export const scheduledAgents = (agents: number, shrinkage: number) => (agents === 0 ? 0 : Math.ceil(agents / (1 - shrinkage) - 1e-9));

// ------------------------------------------------------------------------------------ Erlang A

/** Stop the birth–death chain, past its peak, where states weigh less than e^−40 (4·10⁻¹⁸) of the peak. */
const logTruncation = -40;
const maxQueueStates = 200_000;

/**
 * Erlang A (Palm's M/M/N+M) for N agents: Poisson arrivals at `contacts / periodSeconds`,
 * exponential handling with mean AHT, FCFS, and each waiting caller hangs up after an
 * exponential patience of mean `patienceSeconds`, freeing no agent.
 *
 * Stationary distribution of the birth–death chain (birth λ; death min(j,N)μ + max(j−N,0)γ),
 * the part below N through Erlang B (Σ_{j≤N} π_j/π_N = 1/B(N,A)) and the queue part by its
 * product, cut where its terms stop mattering. An arrival finding k callers waiting reaches an
 * agent after V_k, the sum of exponentials at rates r_m = Nμ + mγ (m = k … 0: an agent frees
 * or someone ahead hangs up), and is answered if its own patience outlasts V_k; the answered
 * within t share is E[e^{−γV_k}; V_k ≤ t], computed by uniformizing that small chain.
 */
export function erlangAPrediction(
  agents: number,
  contacts: number,
  periodSeconds: number,
  averageHandleSeconds: number,
  patienceSeconds: number,
  thresholdSeconds: number,
): ErlangAPrediction {
  const state = erlangAState(agents, contacts / periodSeconds, averageHandleSeconds, patienceSeconds);
  return { ...state.prediction, serviceLevel: erlangAServiceLevel(state, thresholdSeconds) };
}

interface ErlangAState {
  /** Everything but the service level, which costs the most. */
  prediction: Omit<ErlangAPrediction, 'serviceLevel'>;
  answeredAtOnce: number;
  /** π_{N+k}: the share of arrivals that find k callers waiting. */
  queueShares: number[];
  rateAhead: (m: number) => number;
  abandonRate: number;
}

function erlangAState(agents: number, arrivalRate: number, averageHandleSeconds: number, patienceSeconds: number): ErlangAState {
  const serviceRate = 1 / averageHandleSeconds;
  const abandonRate = 1 / patienceSeconds;
  const traffic = arrivalRate * averageHandleSeconds;
  const rateAhead = (m: number) => agents * serviceRate + m * abandonRate;
  const trivial = (prediction: ErlangAState['prediction'], answeredAtOnce: number) => ({ prediction, answeredAtOnce, queueShares: [], rateAhead, abandonRate });
  if (arrivalRate <= 0) return trivial({ probabilityOfWaiting: 0, probabilityOfAbandoning: 0, averageSpeedOfAnswerSeconds: 0, occupancy: 0 }, 1);
  if (agents <= 0) {
    return trivial({ probabilityOfWaiting: 1, probabilityOfAbandoning: 1, averageSpeedOfAnswerSeconds: Number.POSITIVE_INFINITY, occupancy: 0 }, 0);
  }

  // Logarithms of π_{N+k} / π_N: when callers arrive faster than agents free up, the queue's
  // weights grow for thousands of states before patience turns them down, past any double.
  const logWeights: number[] = [0];
  let peak = 0;
  for (let k = 1; k < maxQueueStates; k++) {
    const next = logWeights[k - 1]! + Math.log(arrivalRate / rateAhead(k));
    logWeights.push(next);
    peak = Math.max(peak, next);
    if (next < peak + logTruncation && next <= logWeights[k - 1]!) break;
  }
  // Below N, Σ_{j<N} π_j / π_N = 1/B − 1 (log form, so B underflowing to 0 far above A is harmless).
  const blocking = erlangB(agents, traffic);
  if (blocking === 0) return trivial({ probabilityOfWaiting: 0, probabilityOfAbandoning: 0, averageSpeedOfAnswerSeconds: 0, occupancy: traffic / agents }, 1);
  const logBelow = Math.log1p(-blocking) - Math.log(blocking);
  const top = Math.max(peak, logBelow);
  const below = Math.exp(logBelow - top);
  const scaled = logWeights.map((logWeight) => Math.exp(logWeight - top));
  const total = below + scaled.reduce((sum, weight) => sum + weight, 0);
  const queueShares = scaled.map((weight) => weight / total);
  const answeredAtOnce = below / total;

  let answeredAfterWaiting = 0;
  let waitOfAnswered = 0;
  let harmonic = 0;
  for (let k = 0; k < queueShares.length; k++) {
    harmonic += 1 / rateAhead(k + 1);
    const answeredShare = rateAhead(0) / rateAhead(k + 1);
    answeredAfterWaiting += queueShares[k]! * answeredShare;
    // E[V_k e^{−γV_k}] = (r_0 / r_{k+1}) Σ_{i=1}^{k+1} 1/r_i: the derivative of V_k's Laplace transform at γ.
    waitOfAnswered += queueShares[k]! * answeredShare * harmonic;
  }
  const answered = answeredAtOnce + answeredAfterWaiting;
  return {
    prediction: {
      probabilityOfWaiting: 1 - answeredAtOnce,
      probabilityOfAbandoning: Math.max(0, 1 - answered),
      averageSpeedOfAnswerSeconds: answered > 0 ? waitOfAnswered / answered : Number.POSITIVE_INFINITY,
      occupancy: Math.min(1, (traffic * answered) / agents),
    },
    answeredAtOnce,
    queueShares,
    rateAhead,
    abandonRate,
  };
}

const erlangAServiceLevel = (state: ErlangAState, thresholdSeconds: number) =>
  state.answeredAtOnce + answeredWithinThreshold(state.queueShares, state.rateAhead, state.abandonRate, thresholdSeconds);

/**
 * Σ_k p_k · P(answered within t | k ahead). The tagged caller's position m falls at rate r_m,
 * from position 0 it is answered at rate r_0, and at any position it hangs up at rate γ. Each
 * time step of length h (Λh ≤ 20) is uniformized: the Poisson-weighted sum of powers of the
 * jump matrix I + Q/Λ.
 */
function answeredWithinThreshold(
  arrivalShares: number[],
  rateAhead: (m: number) => number,
  abandonRate: number,
  thresholdSeconds: number,
): number {
  const positions = arrivalShares.length;
  if (thresholdSeconds <= 0 || positions === 0) return 0;
  const uniformRate = rateAhead(positions) + abandonRate;
  const steps = Math.max(1, Math.ceil((uniformRate * thresholdSeconds) / 20));
  const poissonMean = (uniformRate * thresholdSeconds) / steps;
  let mass = arrivalShares.slice();
  let answered = 0;
  for (let step = 0; step < steps; step++) {
    const nextMass = new Array<number>(positions).fill(0);
    let nextAnswered = 0;
    let current = mass;
    let currentAnswered = 0;
    let weight = Math.exp(-poissonMean);
    let cumulative = 0;
    for (let n = 0; cumulative < 1 - 1e-15 && n < 2000; n++) {
      if (n > 0) {
        weight *= poissonMean / n;
        const jumped = new Array<number>(positions);
        for (let m = 0; m < positions; m++) {
          const stay = 1 - (rateAhead(m) + abandonRate) / uniformRate;
          const fromBehind = m + 1 < positions ? (current[m + 1]! * rateAhead(m + 1)) / uniformRate : 0;
          jumped[m] = current[m]! * stay + fromBehind;
        }
        currentAnswered += (current[0]! * rateAhead(0)) / uniformRate;
        current = jumped;
      }
      cumulative += weight;
      for (let m = 0; m < positions; m++) nextMass[m]! += weight * current[m]!;
      nextAnswered += weight * currentAnswered;
    }
    mass = nextMass;
    answered += nextAnswered;
    // Everyone still waiting was answered or hung up: the rest of the threshold adds nothing.
    if (mass.reduce((sum, share) => sum + share, 0) < 1e-14) break;
  }
  return answered;
}

/** Fewest agents for which Erlang A meets the service level with occupancy at most the cap; 0 for no traffic. */
export function erlangAAgents(
  contacts: number,
  periodSeconds: number,
  averageHandleSeconds: number,
  patienceSeconds: number,
  target: StaffingTarget,
): number {
  if (contacts <= 0) return 0;
  const meets = (agents: number) => {
    const state = erlangAState(agents, contacts / periodSeconds, averageHandleSeconds, patienceSeconds);
    if (state.prediction.occupancy > target.maxOccupancy + 1e-12) return false;
    // Answered at once ≤ service level ≤ answered at all: most candidates are settled without the costly part.
    if (1 - state.prediction.probabilityOfAbandoning < target.serviceLevel) return false;
    if (state.answeredAtOnce >= target.serviceLevel) return true;
    return erlangAServiceLevel(state, target.thresholdSeconds) >= target.serviceLevel;
  };
  // Service level and spare capacity both grow with agents, so the fewest that meet both is found
  // by bisection, bracketed from Erlang C's answer, which is usually at or just above it.
  let low = 0;
  let high = Math.max(1, erlangCAgents(trafficErlangs(contacts, periodSeconds, averageHandleSeconds), averageHandleSeconds, target));
  while (!meets(high)) {
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (meets(middle)) high = middle;
    else low = middle;
  }
  return high;
}
