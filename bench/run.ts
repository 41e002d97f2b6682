import { formatBundles, measureBundles } from './bundles';
import { formatLatency, measureCustomerReadLatency } from './latency';

/**
 * `npm run bench`: everything is measured in this one run and reported as ratios, because these
 * machines are noisy. Never part of `npm test`.
 */
const latency = await measureCustomerReadLatency();
console.log('\n## Customer read latency\n');
console.log(formatLatency(latency));

const bundles = await measureBundles();
console.log('\n## Bundles and module load time\n');
console.log(formatBundles(bundles));
console.log(`\nMeasured ${new Date().toISOString()} with Node ${process.version} on ${process.arch}.`);
