import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type VitestJsonReport, summariseReport, summaryLine } from '../../infra/tools/test-report-summary';

/**
 * The closing line of .ci/run. The fixtures are real vitest JSON reports (trimmed) of throwaway
 * files: one whose beforeAll throws (its two tests are reported "skipped"), one with a .skip and
 * a .todo, one failing test; and files that fail to load or whose afterAll throws.
 */

const fixture = (name: string) => `tests/fixtures/vitest-report/${name}.json`;
const report = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8')) as VitestJsonReport;

describe('the CI summary of a vitest report', () => {
  it('counts the tests a failing beforeAll kept from running as failed, where vitest counts one failure', () => {
    const failedBeforeAll = report('failed-before-all');
    // What the old closing line printed from vitest's own totals: "4 passed, 1 failed".
    expect(failedBeforeAll).toMatchObject({ numPassedTests: 4, numFailedTests: 1 });

    // Two tests under the broken beforeAll, the .skip in that same file (the report cannot tell
    // them apart) and the failing test; the todo is skipped.
    expect(summariseReport(failedBeforeAll)).toEqual({ passed: 4, failed: 4, skipped: 1 });
    expect(summaryLine(summariseReport(failedBeforeAll))).toBe('4 passed, 4 failed, 1 skipped');
  });

  it('counts a file that failed to load, or whose afterAll threw, as a failure, and a .skip in a passing file as skipped', () => {
    // vitest's totals say 0 failed tests here.
    expect(report('failed-files-and-skip')).toMatchObject({ numFailedTests: 0, numPassedTests: 2 });
    expect(summaryLine(summariseReport(report('failed-files-and-skip')))).toBe('2 passed, 2 failed, 1 skipped');
  });

  it('says nothing of skipped tests when there are none, and counts runtime errors as failures', () => {
    const clean: VitestJsonReport = { testResults: [{ name: 'a.test.ts', status: 'passed', assertionResults: [{ fullName: 'x', status: 'passed' }] }] };
    expect(summaryLine(summariseReport(clean))).toBe('1 passed, 0 failed');
    expect(summaryLine(summariseReport({ ...clean, numRuntimeErrors: 1 }))).toBe('1 passed, 1 failed');
  });

  it('prints the line and fails the run from the command line, as .ci/run calls it', () => {
    const run = (name: string) => {
      try {
        return { output: execFileSync(process.execPath, ['--import', 'tsx', 'infra/tools/test-report-summary.ts', fixture(name)], { encoding: 'utf8' }), code: 0 };
      } catch (error) {
        const failed = error as { stdout: string; status: number };
        return { output: failed.stdout, code: failed.status };
      }
    };
    expect(run('failed-before-all')).toEqual({ output: '4 passed, 4 failed, 1 skipped\n', code: 1 });
  });
});
