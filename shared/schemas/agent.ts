import * as z from '../zod';
import { agentIdProblem, maxAgentIdLength, queuePrefix, withoutAgentPrefix } from '../domain/agent';

const agentIdDescription =
  `An agent id: 1–${maxAgentIdLength} characters, lower case, no #, :, spaces or control characters (agent-2, mei.lin@acme.tw, 王小明). ` +
  'The same id on contacts and cases names the same agent; agent:mei is taken as mei';

/**
 * The longest text read as an agent id or assignee, before white space and `agent:` are taken off:
 * a bound on the raw input (the id itself has at most maxAgentIdLength characters).
 */
export const maxAgentIdInputLength = 2 * maxAgentIdLength;

/** One agent, as contacts (agentId), cases (agentId, assignee) and the analytics name it (shared/domain/agent.ts). */
export const AgentId = z.described(
  z.string().check(
    z.maxLength(maxAgentIdInputLength, { abort: true, message: `An agent id has at most ${maxAgentIdLength} characters` }),
    z.trim(),
    z.overwrite(withoutAgentPrefix),
    z.superRefine((value, context) => {
      const problem = agentIdProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem, input: value });
    }),
  ),
  agentIdDescription,
);

const queueAssigneeProblem = (queue: string): string | undefined =>
  queue.length === 0 || queue.length > maxAgentIdLength - queuePrefix.length || /[#\p{Cc}]/u.test(queue)
    ? `queue: takes a queue name of 1–${maxAgentIdLength - queuePrefix.length} characters without # or control characters`
    : undefined;

/** Who a case is assigned to: an agent id (as on contacts), or a queue as `queue:<name>`. */
export const Assignee = z.described(
  z.string().check(
    z.maxLength(maxAgentIdInputLength, { abort: true, message: `An assignee has at most ${maxAgentIdLength} characters` }),
    z.trim(),
    z.overwrite(withoutAgentPrefix),
    z.superRefine((value, context) => {
      const problem = value.startsWith(queuePrefix) ? queueAssigneeProblem(value.slice(queuePrefix.length)) : agentIdProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem, input: value });
    }),
  ),
  `An agent id (as on contacts), or a queue as queue:<name>, e.g. mei or queue:complaints; agent:mei is taken as mei. ${agentIdDescription}`,
);
