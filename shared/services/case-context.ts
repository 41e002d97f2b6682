import { businessCalendarOf } from '../domain/business-calendar';
import type { CaseContext } from '../domain/case';
import { resolveSlaPolicy } from '../domain/sla';
import { monotonicIds } from '../ids';
import type { Settings } from '../schemas/settings';

const noHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

/**
 * The context of one change to a case, made by `actor` ("system" for the platform's own): the
 * tenant's SLA policy and business calendar, and timeline entry ids that keep the order they were
 * made in, even within one millisecond. Without settings (a tenant gone), the default policy and
 * a calendar with no business hours.
 */
export function caseContextOf(tenantId: string, settings: Settings | undefined, actor: string, now: string, newEntryId = monotonicIds('cev')): CaseContext {
  return {
    tenantId,
    now,
    actor,
    policy: resolveSlaPolicy(settings?.slaPolicy),
    calendar: settings ? businessCalendarOf(settings) : { timezone: 'UTC', businessHours: noHours },
    newEntryId,
  };
}
