import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { getCustomer, listCustomers, writeSearchTokens } from '../../shared/data/customers-repo';
import { allTenantIds } from './all-tenants';

/**
 * Gives every customer the name tokens of the current rules and deletes those of the first rules
 * (docs/developers/data-model.md, "Customer search"): run once after deploying new rules, and for
 * customers written before customer search. Every customer's tokens are written again and its
 * first-rules tokens deleted in one transaction, conditional on the customer's version as read, so
 * running it twice, or while the API renames and erases customers, changes nothing twice and never
 * brings back an old name: a customer that changed meanwhile is read again (its change wrote its
 * tokens and deleted the old ones already).
 *
 *   TABLE_NAME=<table> npx tsx infra/tools/customer-search-backfill.ts --tenant ten_…   (one tenant)
 *   TABLE_NAME=<table> npx tsx infra/tools/customer-search-backfill.ts --all-tenants     (the operator's tenant directory)
 *
 * with AWS credentials allowed to read and write the table (DYNAMODB_ENDPOINT for DynamoDB Local).
 */

export interface BackfillCount {
  customers: number;
  reread: number;
}

export async function backfillSearchTokens(tenantId: string): Promise<BackfillCount> {
  const count: BackfillCount = { customers: 0, reread: 0 };
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await listCustomers(tenantId, 100, startKey);
    for (const listed of page.items) {
      let customer = listed;
      for (let attempt = 0; !(await writeSearchTokens(tenantId, customer)); attempt++) {
        if (attempt === 5) throw new Error(`${customer.customerId} kept changing; run the backfill again`);
        count.reread++;
        const stored = await getCustomer(tenantId, customer.customerId);
        if (stored?.state !== 'active') break;
        customer = stored.customer;
      }
      count.customers++;
    }
    startKey = page.lastKey;
  } while (startKey);
  return count;
}

async function main() {
  const { values } = parseArgs({ options: { tenant: { type: 'string', multiple: true }, 'all-tenants': { type: 'boolean' } } });
  const tenantIds = values['all-tenants'] ? await allTenantIds() : (values.tenant ?? []);
  if (tenantIds.length === 0) throw new Error('Name --tenant ten_… (repeatable) or --all-tenants');
  for (const tenantId of tenantIds) {
    const count = await backfillSearchTokens(tenantId);
    process.stdout.write(`${tenantId}: ${count.customers} customers indexed (${count.reread} read again after a change meanwhile)\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
