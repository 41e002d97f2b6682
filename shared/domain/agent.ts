/**
 * One agent identity. A contact's `agentId`, a case's `agentId` and a case `assignee` that names
 * an agent all hold the same agent id, so the analytics count each agent once (the `agent`
 * dimension) whichever record named it. People accounts (a later issue) will map a person onto
 * this id. Definition for users: docs/api.md, "Agent ids".
 *
 * An agent id: 1–128 characters, lower case, none of `#` (the key separator), `:` (the assignee
 * prefixes), white space or control characters, e.g. `agent-2`, `mei.lin@acme.tw`, `王小明`, or
 * Amazon Connect's agent UUID.
 */

export const maxAgentIdLength = 128;

/** How a case assignee named an agent before agent ids were one: `agent:mei` is agent `mei`. */
export const agentPrefix = 'agent:';
/** A case assignee that is a queue, not an agent: `queue:complaints`. */
export const queuePrefix = 'queue:';

/** `agent:mei` → `mei`: the prefix has exactly one meaning, so it is taken off rather than refused. */
export const withoutAgentPrefix = (value: string): string => (value.startsWith(agentPrefix) ? value.slice(agentPrefix.length) : value);

/** Why `value` (prefix already taken off) is not an agent id, or undefined when it is one. */
export function agentIdProblem(value: string): string | undefined {
  if (value.length === 0) return 'An agent id must not be empty';
  if (value.length > maxAgentIdLength) return `An agent id has at most ${maxAgentIdLength} characters`;
  if (value.startsWith(queuePrefix)) return 'queue:… names a queue, not an agent; give the agent id';
  if (/[#:\s\p{Cc}]/u.test(value)) return 'An agent id has no #, :, spaces or control characters';
  // Refused rather than lowered: Mei and mei may be two people in the tenant's own system.
  if (value !== value.toLowerCase()) return `Agent ids are lower case; if this agent is ${value.toLowerCase()}, send that`;
  return undefined;
}

/**
 * The agent a case assignee names, or undefined for a queue. Stored assignees from before agent
 * ids were one may still carry `agent:`; both forms count as the same agent.
 */
export function agentOfAssignee(assignee: string | undefined): string | undefined {
  if (assignee === undefined || assignee.startsWith(queuePrefix)) return undefined;
  return withoutAgentPrefix(assignee);
}
