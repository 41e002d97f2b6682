import { parseArgs } from 'node:util';
import { backfillInsights } from '../../shared/services/insights-backfill';

/**
 * Fills the insights projection (case backlog, deadline lists, survey words) of tenants whose
 * cases and surveys predate it (docs/metrics.md, "Case backlog"). Idempotent; safe while the
 * tenant works. Needs the table's name and, locally, DynamoDB's endpoint:
 *
 *   TABLE_NAME=<stage>-switchboard [DYNAMODB_ENDPOINT=http://127.0.0.1:8000] npx tsx infra/tools/backfill-insights.ts --tenant ten_… [--tenant ten_…]
 */
const { values } = parseArgs({ options: { tenant: { type: 'string', multiple: true } } });
const tenants = values.tenant ?? [];
if (tenants.length === 0) {
  process.stderr.write('Name at least one tenant: --tenant ten_…\n');
  process.exit(2);
}
for (const tenantId of tenants) {
  const done = await backfillInsights(tenantId, (line) => process.stdout.write(`${tenantId} ${line}\n`));
  process.stdout.write(`${tenantId}: ${done.cases} cases brought into the backlog, ${done.surveys} surveys with words listed\n`);
}
