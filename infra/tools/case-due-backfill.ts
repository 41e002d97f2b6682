import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { assigneeIndexKeysToWrite, casesWithIndexKeysPage, writeAssigneeIndexKeys } from '../../shared/data/case-due-backfill-repo';
import { getCase } from '../../shared/data/cases-repo';
import { encodeCursor } from '../../shared/http/cursor';
import { allTenantIds } from './all-tenants';

/**
 * Gives the cases saved before the desk their assignee-index sort key, `DUE#<nearest deadline>#<caseId>`
 * (or `FINISHED#<caseId>`), and the team queue's partition to the open unassigned ones
 * (docs/developers/data-model.md, "The assignee index's sort key"), so that My work, the team
 * queue and the workload list them, in deadline order. Cases are read page by page from the
 * tenant's case list (C6); only a case whose stored gsi3 keys differ from those its next save
 * would write is updated, and only those two attributes, on the condition that the case is still
 * at the version read (a case saved meanwhile wrote its keys itself). Running it twice, or after
 * a stop, changes nothing twice.
 *
 *   TABLE_NAME=<table> npx tsx infra/tools/case-due-backfill.ts --tenant ten_… [--dry-run] [--from <cursor>]
 *   TABLE_NAME=<table> npx tsx infra/tools/case-due-backfill.ts --all-tenants [--dry-run]
 *
 * with AWS credentials allowed to read and write the table (DYNAMODB_ENDPOINT for DynamoDB Local).
 * After each page it prints `next: --tenant … --from <cursor>`: a run stopped part-way resumes
 * from there (or simply runs again: the cases done are read and passed over).
 */

export interface CaseDueBackfillCount {
  /** Cases read. */
  cases: number;
  /** Cases whose keys were written (or, in a dry run, would be). */
  rewritten: number;
  /** Cases saved meanwhile: their save wrote the keys. */
  changedMeanwhile: number;
}

export interface CaseDueBackfillOptions {
  dryRun?: boolean;
  /** A cursor printed by an earlier run of the same tenant. */
  from?: string;
  pageSize?: number;
  /** Told after each page, with the cursor to resume from (undefined at the end). */
  onPage?: (count: CaseDueBackfillCount, cursor: string | undefined) => void;
}

export async function backfillCaseDueKeys(tenantId: string, options: CaseDueBackfillOptions = {}): Promise<CaseDueBackfillCount> {
  const count: CaseDueBackfillCount = { cases: 0, rewritten: 0, changedMeanwhile: 0 };
  let startKey = options.from === undefined ? undefined : decodeResumeCursor(options.from);
  do {
    const page = await casesWithIndexKeysPage(tenantId, options.pageSize ?? 100, startKey);
    for (const stored of page.items) {
      count.cases++;
      const wanted = assigneeIndexKeysToWrite(tenantId, stored);
      if (!wanted) continue;
      if (options.dryRun) {
        count.rewritten++;
        continue;
      }
      if (await writeAssigneeIndexKeys(tenantId, stored.case, wanted)) count.rewritten++;
      else if ((await getCase(tenantId, stored.case.caseId)) !== undefined) count.changedMeanwhile++;
    }
    startKey = page.lastKey;
    options.onPage?.(count, encodeCursor(startKey));
  } while (startKey);
  return count;
}

/** The key an `encodeCursor` cursor holds; the tool's own message for anything else. */
function decodeResumeCursor(cursor: string): Record<string, unknown> {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (key && typeof key === 'object' && !Array.isArray(key)) return key as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new Error('--from is not a cursor this tool printed');
}

async function main() {
  const { values } = parseArgs({
    options: { tenant: { type: 'string', multiple: true }, 'all-tenants': { type: 'boolean' }, 'dry-run': { type: 'boolean' }, from: { type: 'string' } },
  });
  const tenantIds = values['all-tenants'] ? await allTenantIds() : (values.tenant ?? []);
  if (tenantIds.length === 0) throw new Error('Name --tenant ten_… (repeatable) or --all-tenants');
  if (values.from !== undefined && tenantIds.length !== 1) throw new Error('--from resumes one tenant: name it with --tenant');
  const dryRun = values['dry-run'] ?? false;
  for (const tenantId of tenantIds) {
    const count = await backfillCaseDueKeys(tenantId, {
      dryRun,
      ...(values.from !== undefined && { from: values.from }),
      onPage: (_, cursor) => {
        if (cursor) process.stderr.write(`next: --tenant ${tenantId} --from ${cursor}\n`);
      },
    });
    process.stdout.write(
      `${tenantId}: ${count.cases} cases read, ${count.rewritten} ${dryRun ? 'would get' : 'got'} their assignee-index keys, ${count.changedMeanwhile} saved meanwhile (their save wrote them)\n`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
