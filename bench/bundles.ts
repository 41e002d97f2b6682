import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { repositoryRoot } from '../infra/config';
import { bundleFunction, lambdaBundling } from '../infra/bundling';
import { eventRelay } from '../shared/events/outbox-stream';
import { eventFunctions } from '../shared/events/subscriptions';
import { apiFunctions, edgeFunctions } from '../shared/http/routes';
import { liveFunctions } from '../shared/http/functions';
import { kib, ms } from './stats';

export interface BundleResult {
  name: string;
  bytes: number;
  loadMs: number;
  sdkClients: string[];
  floorBytes: number;
  floorLoadMs: number;
}

/** What each SDK package must export to stand for "the client" in the floor bundle. */
const clientExports: Record<string, string[]> = {
  '@aws-sdk/client-dynamodb': ['DynamoDBClient'],
  '@aws-sdk/lib-dynamodb': ['DynamoDBDocumentClient', 'GetCommand', 'PutCommand', 'QueryCommand', 'TransactWriteCommand'],
  '@aws-sdk/client-eventbridge': ['EventBridgeClient', 'PutEventsCommand'],
  '@aws-sdk/client-scheduler': ['SchedulerClient', 'CreateScheduleCommand', 'UpdateScheduleCommand', 'DeleteScheduleCommand'],
  '@aws-sdk/client-pinpoint-sms-voice-v2': ['PinpointSMSVoiceV2Client', 'SendTextMessageCommand', 'PutOptedOutNumberCommand'],
};

/**
 * Each function's production bundle (the same esbuild options the CDK stack uses) against a
 * bundle of only the AWS SDK clients it uses: size on disk and module load time (median of
 * fresh Node processes importing it).
 */
export async function measureBundles(loadRuns = 21): Promise<BundleResult[]> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'switchboard-bench-'));
  try {
    const results: BundleResult[] = [];
    for (const name of [...Object.keys(apiFunctions), ...Object.keys(edgeFunctions), ...Object.keys(liveFunctions), ...Object.keys(eventFunctions), eventRelay.name]) {
      const outfile = path.join(outDir, name, 'index.mjs');
      const built = await bundleFunction(name, outfile, { metafile: true });
      const sdkClients = [
        ...new Set(
          Object.keys(built.metafile!.inputs)
            .map((input) => /node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb))\//.exec(input)?.[1])
            .filter((pkg): pkg is string => !!pkg && pkg in clientExports),
        ),
      ].sort();

      const floorEntry = path.join(outDir, name, 'floor.ts');
      writeFileSync(
        floorEntry,
        sdkClients.map((pkg) => `export { ${clientExports[pkg]!.join(', ')} } from '${pkg}';`).join('\n') || 'export {};',
      );
      const floorFile = path.join(outDir, name, 'floor.mjs');
      await build({
        ...lambdaBundling,
        entryPoints: [floorEntry],
        outfile: floorFile,
        bundle: true,
        platform: 'node',
        logLevel: 'error',
        nodePaths: [path.join(repositoryRoot, 'node_modules')],
      });

      const [loadMs, floorLoadMs] = medianLoadMs(outfile, floorFile, loadRuns);
      results.push({ name, bytes: statSync(outfile).size, loadMs, sdkClients, floorBytes: statSync(floorFile).size, floorLoadMs });
    }
    return results;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * The median time a fresh Node process takes to import each file, as Lambda's runtime would (no
 * NODE_OPTIONS: the stack sets none). The files take turns run by run, so that the machine
 * getting busier or quieter during the measurement moves the bundle and its floor alike.
 */
function medianLoadMs(first: string, second: string, runs: number, nodeFlags: [string[], string[]] = [[], []]): [number, number] {
  const files = [first, second];
  const times = files.map((): number[] => []);
  for (let run = 0; run < runs; run++) {
    files.forEach((file, index) => {
      const script = `const start = performance.now(); await import(${JSON.stringify(`file://${file}`)}); process.stdout.write(String(performance.now() - start));`;
      const output = execFileSync(process.execPath, [...nodeFlags[index]!, '--input-type=module', '-e', script], {
        env: { ...process.env, NODE_OPTIONS: '', AWS_REGION: 'us-east-1', TABLE_NAME: 'bench' },
      });
      times[index]!.push(Number(output.toString()));
    });
  }
  const median = (samples: number[]) => samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
  return [median(times[0]!), median(times[1]!)];
}

export interface SourceMapCost {
  name: string;
  loadMs: number;
  withSourceMapsMs: number;
}

/**
 * What `--enable-source-maps` (which the functions ran with until the stack dropped it) adds to
 * a function's module load: the same bundle, with its map beside it, imported with and without.
 */
export async function measureSourceMapCost(names: string[], runs = 21): Promise<SourceMapCost[]> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'switchboard-bench-'));
  try {
    const results: SourceMapCost[] = [];
    for (const name of names) {
      const outfile = path.join(outDir, name, 'index.mjs');
      await bundleFunction(name, outfile);
      const [loadMs, withSourceMapsMs] = medianLoadMs(outfile, outfile, runs, [[], ['--enable-source-maps']]);
      results.push({ name, loadMs, withSourceMapsMs });
    }
    return results;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export function formatSourceMapCost(results: SourceMapCost[]): string {
  return [
    '| function | load | with --enable-source-maps | added |',
    '| --- | --- | --- | --- |',
    ...results.map((r) => `| ${r.name} | ${ms(r.loadMs)} | ${ms(r.withSourceMapsMs)} | ${ms(r.withSourceMapsMs - r.loadMs)} (${(((r.withSourceMapsMs - r.loadMs) / r.loadMs) * 100).toFixed(0)} %) |`),
  ].join('\n');
}

export function formatBundles(results: BundleResult[]): string {
  const added = (ours: number, floor: number) => (ours - floor) / floor;
  const pct = (ours: number, floor: number) => `${(added(ours, floor) * 100).toFixed(0)} %`;
  const verdict = (r: BundleResult) => {
    if (r.sdkClients.length === 0) return 'no SDK floor';
    return added(r.bytes, r.floorBytes) <= targetAdded && added(r.loadMs, r.floorLoadMs) <= targetAdded ? 'met' : 'not met';
  };
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.sdkClients.join(', ') || '–'} | ${kib(r.bytes)} | ${kib(r.floorBytes)} | ${r.sdkClients.length > 0 ? pct(r.bytes, r.floorBytes) : '–'} | ${ms(r.loadMs)} | ${ms(r.floorLoadMs)} | ${r.sdkClients.length > 0 ? pct(r.loadMs, r.floorLoadMs) : '–'} | ${verdict(r)} |`,
  );
  const withFloor = results.filter((r) => r.sdkClients.length > 0);
  return [
    '| function | AWS SDK clients used | bundle | SDK-only bundle | added | load | SDK-only load | added | ≤ 30 % |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Target met (size and load time each at most 30 % over the floor) by ${withFloor.filter((r) => verdict(r) === 'met').length} of ${withFloor.length} functions that use the AWS SDK.`,
  ].join('\n');
}

/** The cold-start budget of issue 6: our code and libraries add at most this share to the SDK-only floor. */
const targetAdded = 0.3;
