import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../shared/http/openapi';

/**
 * Redocly CLI's recommended rules and Spectral's OpenAPI rules with the OWASP API Security ruleset,
 * on exactly the document GET /openapi.json serves. Each finding is fixed in the generator or the
 * schemas, or excluded by rule and path with its reason in redocly.yaml or .spectral.yaml: none may
 * remain, warnings included. Both run offline: their rulesets are local, telemetry is off.
 */

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');
const offline = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true', NO_COLOR: '1' };

interface Finding {
  rule: string;
  severity: string;
  at: string;
  message: string;
}

let directory: string;
let documentPath: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'openapi-lint-'));
  documentPath = path.join(directory, 'openapi.json');
  await writeFile(documentPath, JSON.stringify(buildOpenApiDocument()));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

/** A linter's answer: it exits non-zero when it found something, which is what the test reports. */
async function output(entry: string, args: string[]): Promise<string> {
  try {
    return (await run(process.execPath, [entry, ...args], { cwd: root, env: offline, maxBuffer: 256 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    if (!stdout) throw new Error(`${path.basename(entry)} failed: ${stderr}`, { cause: error });
    return stdout;
  }
}

async function redocly(): Promise<Finding[]> {
  const cli = require.resolve('@redocly/cli/bin/cli.js');
  const report = JSON.parse(
    await output(cli, ['lint', documentPath, '--config', path.join(root, 'redocly.yaml'), '--format', 'json', '--max-problems', '100000']),
  ) as { problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[] };
  return report.problems.map((problem) => ({
    rule: problem.ruleId,
    severity: problem.severity,
    at: problem.location[0]?.pointer ?? '',
    message: problem.message,
  }));
}

async function spectral(): Promise<Finding[]> {
  const cli = require.resolve('@stoplight/spectral-cli/dist/index.js');
  const report = JSON.parse(
    await output(cli, ['lint', documentPath, '--ruleset', path.join(root, '.spectral.yaml'), '--format', 'json', '--quiet']),
  ) as { code: string; severity: number; message: string; path: string[] }[];
  const severities = ['error', 'warn', 'info', 'hint'];
  return report
    .filter((finding) => finding.severity <= 1)
    .map((finding) => ({ rule: finding.code, severity: severities[finding.severity]!, at: `#/${finding.path.join('/')}`, message: finding.message }));
}

/** Findings counted by rule, with the first few places of each, for a readable failure. */
function summary(findings: Finding[]) {
  const byRule: Record<string, { count: number; at: string[] }> = {};
  for (const finding of findings) {
    const entry = (byRule[`${finding.severity} ${finding.rule}`] ??= { count: 0, at: [] });
    entry.count += 1;
    if (entry.at.length < 3) entry.at.push(finding.at);
  }
  return byRule;
}

describe('the served OpenAPI document, linted', () => {
  it('passes Redocly CLI’s recommended rules', { timeout: 120_000 }, async () => {
    expect(summary(await redocly())).toEqual({});
  });

  it('passes Spectral’s OpenAPI rules and the OWASP API Security Top 10 ruleset', { timeout: 180_000 }, async () => {
    expect(summary(await spectral())).toEqual({});
  });

  it('notices a finding: an operation without a description fails Spectral', { timeout: 180_000 }, async () => {
    const document = buildOpenApiDocument();
    delete (document.paths['/v1/tenant']!.get as { description?: string }).description;
    await writeFile(documentPath, JSON.stringify(document));
    try {
      const findings = await spectral();
      expect(findings.filter((finding) => finding.rule === 'operation-description').map((finding) => finding.at)).toEqual([
        '#/paths//v1/tenant/get',
      ]);
    } finally {
      await writeFile(documentPath, JSON.stringify(buildOpenApiDocument()));
    }
  });
});
