import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * The closing line of .ci/run, "N passed, N failed[, N skipped]", from vitest's JSON report.
 *
 * vitest's own totals undercount failures: a failing beforeAll leaves its tests "skipped" (they
 * never ran), and a file that fails to load, or whose afterAll throws, is a failed suite with no
 * failed test. Here every test that did not run in a failed file counts as failed (the report
 * cannot tell a test skipped by the failure from one marked .skip there), and a failed file with
 * no test to blame counts as one failure of its own. Tests skipped in a file that passed, and
 * todo tests anywhere, are counted apart as skipped.
 *
 *   npx tsx infra/tools/test-report-summary.ts reports/vitest.json
 */

type TestStatus = 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' | 'disabled';

export interface VitestJsonReport {
  numRuntimeErrors?: number;
  testResults: {
    name: string;
    status: 'passed' | 'failed' | string;
    message?: string;
    assertionResults: { fullName: string; status: TestStatus | string }[];
  }[];
}

export interface ReportSummary {
  passed: number;
  failed: number;
  skipped: number;
}

export function summariseReport(report: VitestJsonReport): ReportSummary {
  const summary: ReportSummary = { passed: 0, failed: report.numRuntimeErrors ?? 0, skipped: 0 };
  for (const file of report.testResults) {
    const fileFailed = file.status !== 'passed';
    let blamed = 0;
    for (const test of file.assertionResults) {
      if (test.status === 'passed') summary.passed++;
      else if (test.status === 'failed' || (fileFailed && test.status !== 'todo')) {
        summary.failed++;
        blamed++;
      } else summary.skipped++;
    }
    if (fileFailed && blamed === 0) summary.failed++;
  }
  return summary;
}

export const summaryLine = ({ passed, failed, skipped }: ReportSummary): string =>
  `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const path = process.argv[2] ?? 'reports/vitest.json';
  const summary = summariseReport(JSON.parse(readFileSync(path, 'utf8')) as VitestJsonReport);
  process.stdout.write(`${summaryLine(summary)}\n`);
  process.exitCode = summary.failed > 0 ? 1 : 0;
}
