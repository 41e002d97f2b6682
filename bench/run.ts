import './function-environment';
import { formatAnalyticsLatency, formatSummaryPeriods, measureAnalyticsLatency, measureSummaryPeriods } from './analytics';
import { formatBundles, formatSourceMapCost, measureBundles, measureSourceMapCost } from './bundles';
import { formatConsoleBundles, formatConsoleRenderTime, measureConsoleBundles, measureConsoleRenderTime } from './console';
import { costModel, formatCostModel } from './cost';
import { formatDeskApiCalls, formatDeskBundles, measureDeskApiCalls, measureDeskBundles } from './desk';
import { formatLatency, measureCustomerReadLatency } from './latency';
import { formatLifecycle, measureContactLifecycleInChildProcess } from './lifecycle';
import { formatQueryByPartitionSize, formatSearchLatency, measureQueryByPartitionSize, measureSearchLatency } from './search';
import { formatSurveySms, measureSurveySms } from './sms';
import { formatTenantSessions, measureTenantClientCost, modelTenantSessions, tenantMixes } from './tenant-sessions';

/**
 * `npm run bench`: everything is measured in this one run and reported as ratios, because these
 * machines are noisy. Never part of `npm test`. `npm run bench -- bundles` (or latency,
 * analytics, summaries, lifecycle, sms, tenant-sessions, console, desk, search) runs only those parts.
 */
const sections = ['latency', 'analytics', 'summaries', 'lifecycle', 'sms', 'bundles', 'tenant-sessions', 'console', 'desk', 'search'] as const;
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(sections as readonly string[]).includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown part ${unknown.join(', ')}; the parts are ${sections.join(', ')}\n`);
  process.exit(2);
}
const runs = (section: (typeof sections)[number]) => asked.length === 0 || asked.includes(section);

// The per-tenant request limit still counts every request (its write is part of what is
// measured) but must not refuse the thousands a benchmark makes in a minute.
process.env.TENANT_REQUESTS_PER_MINUTE ??= '100000000';

if (runs('latency')) {
  const latency = await measureCustomerReadLatency();
  console.log('\n## Customer read latency\n');
  console.log(formatLatency(latency));
}

if (runs('analytics')) {
  const analytics = await measureAnalyticsLatency();
  console.log('\n## Analytics and overview latency: 1k vs 100k stored contacts\n');
  console.log(formatAnalyticsLatency(analytics));
}

if (runs('summaries')) {
  const summaries = await measureSummaryPeriods();
  console.log('\n## Analytics summaries by period: reads and latency\n');
  console.log(formatSummaryPeriods(summaries));
}

if (runs('lifecycle')) {
  const lifecycle = await measureContactLifecycleInChildProcess();
  console.log('\n## One contact lifecycle: invocations, capacity units, events\n');
  console.log(formatLifecycle(lifecycle));
  console.log('\n## Cost model\n');
  console.log(formatCostModel(costModel(lifecycle)));
}

if (runs('sms')) {
  console.log('\n## SMS segments per surveyed contact, default template\n');
  console.log(formatSurveySms(measureSurveySms()));
}

if (runs('bundles')) {
  const bundles = await measureBundles();
  console.log('\n## Bundles and module load time\n');
  console.log(formatBundles(bundles));
  console.log('\n### What loading the source map at run time would add\n');
  console.log(formatSourceMapCost(await measureSourceMapCost(['customers', 'cases', 'analytics-aggregate'])));
}

if (runs('tenant-sessions')) {
  console.log('\n## Per-tenant LeadingKeys sessions: what they would cost (not built)\n');
  console.log(formatTenantSessions(await measureTenantClientCost(), tenantMixes.map((mix) => modelTenantSessions(mix))));
}
if (runs('console')) {
  console.log('\n## The console: first page weight against Cloudscape\'s floor\n');
  console.log(formatConsoleBundles(await measureConsoleBundles()));
  console.log('\n## The console: time to a rendered dashboard\n');
  console.log(formatConsoleRenderTime(await measureConsoleRenderTime()));
}
if (runs('desk')) {
  console.log("\n## The agents' desk: first page weight\n");
  console.log(formatDeskBundles(await measureDeskBundles()));
  console.log("\n## The agents' desk: API calls per screen\n");
  console.log(formatDeskApiCalls(await measureDeskApiCalls()));
}
if (runs('search')) {
  const search = await measureSearchLatency();
  console.log('\n## Customer search: 1k vs 100k customers\n');
  console.log(formatSearchLatency(search));
  console.log('\n### DynamoDB Local: one Query against a small and a large partition\n');
  console.log(formatQueryByPartitionSize(await measureQueryByPartitionSize()));
}
console.log(`\nMeasured ${new Date().toISOString()} with Node ${process.version} on ${process.arch}.`);
