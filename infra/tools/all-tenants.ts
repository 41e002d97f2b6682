import { listOperatorTenants } from '../../shared/data/tenants-repo';

/** Every tenant's id, page by page through the operator's tenant list (for the backfill tools' --all-tenants). */
export async function allTenantIds(): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await listOperatorTenants(100, after);
    ids.push(...page.items.map((tenant) => tenant.tenantId));
    after = page.lastTenantId;
  } while (after);
  return ids;
}
