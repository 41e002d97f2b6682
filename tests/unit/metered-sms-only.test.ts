import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 11 §2: every SMS goes through the quota and destination check. The port's sendSms is
 * called by shared/services/metered-sms.ts alone; any other module of shared/ or functions/ that
 * imports it would send around the check.
 */
const root = new URL('../..', import.meta.url).pathname;
const sourceFiles = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

const importsRawSend = (source: string) =>
  [...source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'[^']*ports\/sms-sender'/g)].some((match) =>
    match[1]!.split(',').some((name) => name.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0] === 'sendSms'),
  ) || /import\s*\*\s*as\s+\w+\s+from\s*'[^']*ports\/sms-sender'/.test(source) || /import\(\s*'[^']*ports\/sms-sender'\s*\)/.test(source);

describe('SMS quota: one metered path', () => {
  it('no function or shared module but the metered sender calls the raw SMS port (issue 11 §2: every send is quota-checked)', () => {
    const offenders = [...sourceFiles('shared'), ...sourceFiles('functions')]
      .filter((file) => importsRawSend(readFileSync(join(root, file), 'utf8')))
      .map((file) => relative('.', file));
    expect(offenders).toEqual(['shared/services/metered-sms.ts']);
  });

  it('the check itself notices a module that imports sendSms', () => {
    expect(importsRawSend("import { addToOptOutList, sendSms } from '../../shared/ports/sms-sender';")).toBe(true);
    expect(importsRawSend("import { sendSms as send } from '../ports/sms-sender';")).toBe(true);
    expect(importsRawSend("import * as port from '../ports/sms-sender';")).toBe(true);
    expect(importsRawSend("import { addToOptOutList } from '../ports/sms-sender';")).toBe(false);
  });
});
