import { getTenantSendingRights } from '../data/tenants-repo';
import { type SendingRefusal, sendingRefusal } from '../domain/allocations';
import { MetricUnit, logger, metrics } from '../observability';

export type { SendingRefusal };

/**
 * Whether the tenant may send now (shared/domain/allocations.ts sendingRefusal): one read of the
 * tenant item. A refusal is logged and counted (`SendsRefused`, by reason) here; the caller records
 * it where the tenant sees it (a survey's `not_sent` reason, a delivery's stop reason).
 * `what` names the send for the log, never personal data.
 */
export async function tenantSendingRefusal(
  tenantId: string,
  what: string,
  sms?: { originationIdentity?: string; configurationSetName?: string; optOutListName?: string },
): Promise<SendingRefusal | undefined> {
  const refusal = sendingRefusal(await getTenantSendingRights(tenantId), sms);
  if (refusal) {
    logger.warn('Not sent: the tenant may not send this', { tenantId, what, reason: refusal });
    metrics.addMetric(refusal === 'tenant-suspended' ? 'SendsRefusedTenantSuspended' : 'SendsRefusedSenderNotAllocated', MetricUnit.Count, 1);
  }
  return refusal;
}
