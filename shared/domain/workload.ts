import type { Person } from '../schemas/person';

/**
 * The bounds of GET /v1/case-workload, which reads one keys-only page run of the assignee index
 * per person: at most `workloadConcurrency` of those queries at a time (a tenant's burst stays
 * within the table's throughput, and the function's sockets), and at most `workloadPeopleCap`
 * people counted in one answer (the answer's time and read units stay bounded).
 */
export const workloadConcurrency = 8;
export const workloadPeopleCap = 500;

/** Whether a person works cases: invited or active, and not a viewer. */
export const worksCases = (person: Pick<Person, 'role' | 'state'>): boolean => person.state !== 'deactivated' && person.role !== 'viewer';

/**
 * The people whose open cases are counted, at most `cap`: those who work cases first, then the
 * others (viewers and deactivated people are listed only when they still hold open cases), each
 * group in the order given; and how many were left out.
 */
export function peopleToCount<P extends Pick<Person, 'role' | 'state'>>(people: readonly P[], cap: number = workloadPeopleCap): { counted: P[]; notCounted: number } {
  const ordered = [...people.filter(worksCases), ...people.filter((person) => !worksCases(person))];
  return { counted: ordered.slice(0, cap), notCounted: Math.max(0, ordered.length - cap) };
}
