import { percentile } from '../stats';

/**
 * What `npm run load` measured and found, and its markdown report. Requests are grouped by the
 * declared route they matched (`POST /v1/contacts/{contactId}/close`), so a route's figures do not
 * scatter over its ids.
 */

export interface RequestSample {
  route: string;
  status: number;
  ms: number;
  /** A 4xx the run asked for on purpose (a customer id that does not exist, a duplicate phone). */
  deliberate: boolean;
}

export interface UnexpectedAnswer {
  route: string;
  status: number;
  /** The problem's title and detail, or the network error. */
  detail: string;
}

export interface Check {
  name: string;
  passed: boolean;
  /** What was compared, in a line. */
  summary: string;
  /** The first few mismatches, when it failed. */
  failures: string[];
}

export interface LoadSetup {
  command: string;
  tenants: number;
  seedCustomersPerTenant: number;
  concurrency: number;
  durationLimitSeconds: number;
  maxRequests: number;
  setupSeconds: number;
}

export interface LoadResult {
  setup: LoadSetup;
  /** Wall time of the mix, from the first virtual user's start to the last one's end. */
  mixSeconds: number;
  /** Requests of the mix (the API, the survey page and the customers' SMS replies). */
  samples: RequestSample[];
  unexpected: UnexpectedAnswer[];
  /** What the run did, as the reconciliation expects it. */
  activity: Record<string, number>;
  /** Routes the twin did not serve (404 from the gateway) and the mix therefore left out. */
  skippedRoutes: string[];
  settleSeconds: number;
  checks: Check[];
  twinRssMiB: { peak: number; end: number };
  harnessRequests: number;
  /** The machine's cores and 1-minute load average before and after: others' work shares the cores. */
  machine: { cores: number; loadBefore: number; loadAfter: number };
}

const formatMs = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;

export function routeFigures(samples: RequestSample[]) {
  const byRoute = new Map<string, RequestSample[]>();
  for (const sample of samples) byRoute.set(sample.route, [...(byRoute.get(sample.route) ?? []), sample]);
  return [...byRoute.entries()]
    .map(([route, group]) => {
      const sorted = group.map((sample) => sample.ms).sort((a, b) => a - b);
      const statuses = new Map<number, number>();
      for (const sample of group) statuses.set(sample.status, (statuses.get(sample.status) ?? 0) + 1);
      return {
        route,
        count: group.length,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        statuses: [...statuses.entries()].sort(([a], [b]) => a - b),
      };
    })
    .sort((a, b) => b.count - a.count);
}

export function formatLoadReport(result: LoadResult): string {
  const { setup, samples } = result;
  const throughput = samples.length / result.mixSeconds;
  const statusCounts = new Map<number, number>();
  for (const sample of samples) statusCounts.set(sample.status, (statusCounts.get(sample.status) ?? 0) + 1);
  const deliberate = samples.filter((sample) => sample.deliberate).length;
  const allSorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const passed = result.checks.every((check) => check.passed) && result.unexpected.length === 0;

  const { machine } = result;
  const lines = [
    `Command: \`${setup.command}\``,
    '',
    `Machine: ${machine.cores} cores, 1-minute load average ${machine.loadBefore.toFixed(1)} before the run and ${machine.loadAfter.toFixed(1)} after ` +
      '(other work shares the cores); the twin runs every function in one Node process on DynamoDB Local, so these are the twin\'s figures, not AWS\'s.',
    '',
    `Setup (${setup.setupSeconds.toFixed(1)} s, not timed below): ${setup.tenants} tenants, each with an SMS number, surveys on with no delay, ` +
      `no quiet hours, no suppression, 100 % sampling and no daily cap, reason codes, and ${setup.seedCustomersPerTenant} customers ` +
      'without SMS consent (they call often and are never surveyed). A contact from a consenting customer comes from a customer created ' +
      'for it, so each survey conversation is the only one on its phone. Every phone number is new to the run.',
    '',
    `Mix: ${setup.concurrency} virtual users across the tenants for ${result.mixSeconds.toFixed(1)} s ` +
      `(limits: ${setup.durationLimitSeconds} s, ${setup.maxRequests} requests), then ${result.settleSeconds.toFixed(1)} s ` +
      'finishing the survey conversations under way and waiting for the asynchronous work to settle.',
    '',
    `**${samples.length} requests, ${throughput.toFixed(1)} req/s; p50 ${formatMs(percentile(allSorted, 50))}, ` +
      `p99 ${formatMs(percentile(allSorted, 99))}; ${result.unexpected.length} unexpected answers; ${deliberate} deliberate 4xx.** ` +
      `The twin's Node process peaked at ${result.twinRssMiB.peak.toFixed(0)} MiB resident (${result.twinRssMiB.end.toFixed(0)} MiB at the end; DynamoDB Local's JVM is apart).`,
    '',
    'What the run did: ' +
      Object.entries(result.activity)
        .map(([name, count]) => `${name} ${count}`)
        .join(', ') +
      '.',
    '',
    '| route | requests | p50 | p99 | statuses |',
    '| --- | ---: | ---: | ---: | --- |',
    ...routeFigures(samples).map(
      (figure) =>
        `| \`${figure.route}\` | ${figure.count} | ${formatMs(figure.p50)} | ${formatMs(figure.p99)} | ${figure.statuses
          .map(([status, count]) => `${status}×${count}`)
          .join(' ')} |`,
    ),
    '',
    `Status counts: ${[...statusCounts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ')}. Deliberate 4xx (a customer id that does not exist, a phone already taken): ${deliberate}.`,
    `Harness requests, not counted above (reading the SMS outbox as the customers' phones, reconciling): ${result.harnessRequests}.`,
  ];
  if (result.skippedRoutes.length > 0) {
    lines.push('', `Left out of the mix because the twin answered 404 (not built yet): ${result.skippedRoutes.map((route) => `\`${route}\``).join(', ')}.`);
  }
  if (result.unexpected.length > 0) {
    const alike = new Map<string, number>();
    for (const answer of result.unexpected) {
      const line = `\`${answer.route}\` ${answer.status}: ${answer.detail}`;
      alike.set(line, (alike.get(line) ?? 0) + 1);
    }
    lines.push('', 'Unexpected answers, alike ones counted together (the 20 most frequent):', '');
    for (const [line, count] of [...alike.entries()].sort(([, a], [, b]) => b - a).slice(0, 20)) lines.push(`- ${count}× ${line}`);
  }
  lines.push('', '| reconciliation | result | compared |', '| --- | --- | --- |');
  for (const check of result.checks) lines.push(`| ${check.name} | ${check.passed ? 'pass' : '**FAIL**'} | ${check.summary} |`);
  for (const check of result.checks.filter((candidate) => !candidate.passed)) {
    lines.push('', `${check.name}, first mismatches:`, '', ...check.failures.slice(0, 10).map((failure) => `- ${failure}`));
  }
  lines.push('', passed ? 'Result: **pass**.' : 'Result: **FAIL**.');
  return lines.join('\n');
}
