import { availableParallelism, loadavg } from 'node:os';
import { startTwinProcess } from './latency';
import { LoadRun, sleep } from './load/actors';
import { Client } from './load/client';
import { readOptions } from './load/options';
import { reconcile } from './load/reconciliation';
import { type LoadResult, type LoadSetup, formatLoadReport } from './load/report';

/**
 * `npm run load`: many tenants at once on the local twin (its own process, loopback only), a
 * realistic mix for a bounded time and request count, then a reconciliation of what the run was
 * told against what the twin stored, counted and sent. Never part of `npm test`.
 *
 *   npm run load -- --tenants 20 --duration 60 --concurrency 16 --max-requests 50000
 *
 * Each flag has an environment variable too: LOAD_TENANTS, LOAD_DURATION_SECONDS,
 * LOAD_CONCURRENCY, LOAD_MAX_REQUESTS, LOAD_SEED_CUSTOMERS, LOAD_SETTLE_SECONDS.
 * Exits 1 when the reconciliation fails or an answer was not one the run expected.
 *
 * The parts live in bench/load/: options.ts (flags), client.ts (the timed HTTP client),
 * actors.ts (tenants, customers and contacts the run creates, and what each step of the mix
 * does), reconciliation.ts (what the twin stored, counted and sent, checked against what the run
 * was told) and report.ts (the report).
 */

async function main(): Promise<number> {
  const options = readOptions();
  const command =
    `npm run load -- --tenants ${options.tenants} --duration ${options.durationSeconds} --concurrency ${options.concurrency} ` +
    `--max-requests ${options.maxRequests} --seed-customers ${options.seedCustomers} --settle-timeout ${options.settleSeconds}`;
  console.error(`Starting the twin (loopback only) for: ${command}`);
  const loadBefore = loadavg()[0]!;
  const twin = await startTwinProcess();
  let rssPeak = 0;
  const rssTimer = setInterval(() => void twin.rssMiB().then((rss) => (rssPeak = Math.max(rssPeak, rss))).catch(() => undefined), 1_000);
  try {
    const client = new Client(twin.url);
    // startTwinProcess's operator key; the twin listens on 127.0.0.1 only (HOST defaults to it).
    const run = new LoadRun(client, 'op_bench');

    const setupStarted = performance.now();
    for (let i = 0; i < options.tenants; i++) await run.setUp(i, options.seedCustomers);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    console.error(`Set up ${run.tenants.length} tenants in ${setupSeconds.toFixed(1)} s; running the mix…`);

    let watching = true;
    const outboxWatch = run.watchOutbox(() => !watching);
    const mixStarted = performance.now();
    const mixEnds = Date.now() + options.durationSeconds * 1000;
    const mixOver = () => Date.now() >= mixEnds || client.samples.length >= options.maxRequests;
    const settleDeadline = () => mixEnds + options.settleSeconds * 1000;
    let mixSeconds = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (!mixOver()) {
          await run.mixStep();
        }
        mixSeconds = Math.max(mixSeconds, (performance.now() - mixStarted) / 1000);
      }),
    );
    const settleStarted = performance.now();
    console.error(`Mix done: ${client.samples.length} requests in ${mixSeconds.toFixed(1)} s; finishing ${run.conversations.length} survey conversations…`);
    // Customers still in the middle of a survey finish it; the load is over, so one at a time per virtual user.
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (run.conversations.length > 0 && Date.now() < settleDeadline()) {
          const conversation = run.takeDueConversation();
          if (conversation) await run.advanceConversation(conversation);
          else await sleep(100);
        }
      }),
    );
    if (run.conversations.length > 0) {
      client.unexpected.push({ route: 'survey conversations', status: 0, detail: `${run.conversations.length} still waiting for an SMS at the settle deadline` });
    }
    const checks = await reconcile(run, settleDeadline());
    watching = false;
    await outboxWatch;

    const setup: LoadSetup = {
      command,
      tenants: options.tenants,
      seedCustomersPerTenant: options.seedCustomers,
      concurrency: options.concurrency,
      durationLimitSeconds: options.durationSeconds,
      maxRequests: options.maxRequests,
      setupSeconds,
    };
    const endRss = await twin.rssMiB();
    const result: LoadResult = {
      setup,
      mixSeconds,
      samples: client.samples,
      unexpected: client.unexpected,
      activity: run.activity,
      skippedRoutes: [...client.missingRoutes],
      settleSeconds: (performance.now() - settleStarted) / 1000,
      checks,
      twinRssMiB: { peak: Math.max(rssPeak, endRss), end: endRss },
      harnessRequests: client.harnessRequests,
      machine: { cores: availableParallelism(), loadBefore, loadAfter: loadavg()[0]! },
    };
    console.log(formatLoadReport(result));
    console.log(`\nMeasured ${new Date().toISOString()} with Node ${process.version} on ${process.arch}; the twin and DynamoDB Local on this machine, not AWS.`);
    return checks.every((check) => check.passed) && client.unexpected.length === 0 ? 0 : 1;
  } finally {
    clearInterval(rssTimer);
    await twin.stop();
  }
}

process.exitCode = await main();
