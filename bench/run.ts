import { formatAnalyticsLatency, measureAnalyticsLatency } from './analytics';
import { formatBundles, measureBundles } from './bundles';
import { costModel, formatCostModel } from './cost';
import { formatLatency, measureCustomerReadLatency } from './latency';
import { formatLifecycle, measureContactLifecycleInChildProcess } from './lifecycle';

/**
 * `npm run bench`: everything is measured in this one run and reported as ratios, because these
 * machines are noisy. Never part of `npm test`.
 */

// The per-tenant request limit still counts every request (its write is part of what is
// measured) but must not refuse the thousands a benchmark makes in a minute.
process.env.TENANT_REQUESTS_PER_MINUTE ??= '100000000';
const latency = await measureCustomerReadLatency();
console.log('\n## Customer read latency\n');
console.log(formatLatency(latency));

const analytics = await measureAnalyticsLatency();
console.log('\n## Analytics and overview latency: 1k vs 100k stored contacts\n');
console.log(formatAnalyticsLatency(analytics));

const lifecycle = await measureContactLifecycleInChildProcess();
console.log('\n## One contact lifecycle: invocations, capacity units, events\n');
console.log(formatLifecycle(lifecycle));
console.log('\n## Cost model\n');
console.log(formatCostModel(costModel(lifecycle)));

const bundles = await measureBundles();
console.log('\n## Bundles and module load time\n');
console.log(formatBundles(bundles));
console.log(`\nMeasured ${new Date().toISOString()} with Node ${process.version} on ${process.arch}.`);
