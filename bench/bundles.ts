import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { repositoryRoot } from '../infra/config';
import { lambdaBundling } from '../infra/bundling';
import { eventRelay } from '../shared/events/outbox-stream';
import { eventFunctions } from '../shared/events/subscriptions';
import { apiFunctions, edgeFunctions } from '../shared/http/routes';
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
export async function measureBundles(loadRuns = 7): Promise<BundleResult[]> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'switchboard-bench-'));
  try {
    const results: BundleResult[] = [];
    for (const name of [...Object.keys(apiFunctions), ...Object.keys(edgeFunctions), ...Object.keys(eventFunctions), eventRelay.name]) {
      const outfile = path.join(outDir, name, 'index.mjs');
      const built = await build({
        ...lambdaBundling,
        entryPoints: [path.join(repositoryRoot, 'functions', name, 'handler.ts')],
        outfile,
        bundle: true,
        platform: 'node',
        metafile: true,
        logLevel: 'error',
      });
      const sdkClients = [
        ...new Set(
          Object.keys(built.metafile.inputs)
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

      results.push({
        name,
        bytes: statSync(outfile).size,
        loadMs: medianLoadMs(outfile, loadRuns),
        sdkClients,
        floorBytes: statSync(floorFile).size,
        floorLoadMs: medianLoadMs(floorFile, loadRuns),
      });
    }
    return results;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

function medianLoadMs(file: string, runs: number): number {
  const script = `const start = performance.now(); await import(${JSON.stringify(`file://${file}`)}); process.stdout.write(String(performance.now() - start));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, AWS_REGION: 'us-east-1', TABLE_NAME: 'bench' },
    });
    times.push(Number(output.toString()));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export function formatBundles(results: BundleResult[]): string {
  const pct = (ours: number, floor: number) => `${(((ours - floor) / floor) * 100).toFixed(0)} %`;
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.sdkClients.join(', ') || '–'} | ${kib(r.bytes)} | ${kib(r.floorBytes)} | ${r.sdkClients.length > 0 ? pct(r.bytes, r.floorBytes) : '–'} | ${ms(r.loadMs)} | ${ms(r.floorLoadMs)} | ${r.sdkClients.length > 0 ? pct(r.loadMs, r.floorLoadMs) : '–'} |`,
  );
  return [
    '| function | AWS SDK clients used | bundle | SDK-only bundle | added | load | SDK-only load | added |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

