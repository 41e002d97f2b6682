import { type TenantSendingRights, getTenantSendingRights } from '../data/tenants-repo';
import { type SendingRefusal, sendingRefusal } from '../domain/allocations';
import { MetricUnit, logger, metrics } from '../observability';

export type { SendingRefusal };

/**
 * Whether the tenant may send now (shared/domain/allocations.ts sendingRefusal): one read of the
 * tenant item. A refusal is logged and counted (`SendsRefused`, by reason) here; the caller records
 * it where the tenant sees it (a survey's `not_sent` reason, a delivery's stop reason).
 * `what` names the send for the log, never personal data. A caller that read the tenant with its
 * settings (getTenantWithSettings) passes its `sendingRights`, so the item is not read twice.
 */
export async function tenantSendingRefusal(
  tenantId: string,
  what: string,
  sms?: { originationIdentity?: string; configurationSetName?: string; optOutListName?: string },
  known?: TenantSendingRights,
): Promise<SendingRefusal | undefined> {
  const refusal = sendingRefusal(known ?? (await getTenantSendingRights(tenantId)), sms);
  if (refusal) {
    logger.warn('Not sent: the tenant may not send this', { tenantId, what, reason: refusal });
    metrics.addMetric(refusal === 'tenant-suspended' ? 'SendsRefusedTenantSuspended' : 'SendsRefusedSenderNotAllocated', MetricUnit.Count, 1);
  }
  return refusal;
}
