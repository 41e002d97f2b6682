import { type ReadWork, noWork, readCounterRows } from '../../shared/data/analytics-repo';
import { cachedTenantPlan, readApiRequestsByDay } from '../../shared/data/rate-limit-repo';
import { readSmsUsageTotals, readUsageDays } from '../../shared/data/sms-usage-repo';
import { usageMonth } from '../../shared/domain/sms/quotas';
import { usagePeriod, usageReport } from '../../shared/domain/usage';
import { createApiHandler } from '../../shared/http/handler';
import { tenantLimit } from '../../shared/http/rate-limit';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { validationFailed } from '../../shared/http/problem';
import { usageRoutes } from '../../shared/http/routes/usage';
import { functionClock } from '../../shared/ports/clock';
import { deployedSmsQuota } from '../../shared/services/sms-quota';

/** Contacts (closed, on their arrival day) and surveys sent, per UTC day, from the analytics counters. */
async function contactsAndSurveys(tenantId: string, days: string[], work: ReadWork) {
  const rows = await readCounterRows(tenantId, 'all', new Date(`${days[0]}T00:00:00Z`), new Date(Date.parse(`${days.at(-1)}T00:00:00Z`) + 86_400_000), { work });
  const contacts: Record<string, number> = {};
  const surveysSent: Record<string, number> = {};
  for (const row of rows) {
    const day = row.slotStart.slice(0, 10);
    contacts[day] = (contacts[day] ?? 0) + (row.counters.offered ?? 0);
    surveysSent[day] = (surveysSent[day] ?? 0) + (row.counters.surveysSent ?? 0);
  }
  return { contacts, surveysSent };
}

export const handler = createApiHandler(
  'usage',
  usageRoutes,
  {
    async getUsage(request) {
      const { tenantId, query } = request;
      const now = functionClock.now();
      const period = usagePeriod(query, now);
      if (!period.ok) throw validationFailed([period.error]);
      const work = noWork();
      const [plan, sms, apiRequests, counted, current] = await Promise.all([
        cachedTenantPlan(tenantId),
        readUsageDays(tenantId, period.months),
        readApiRequestsByDay(tenantId, period.months),
        contactsAndSurveys(tenantId, period.days, work),
        readSmsUsageTotals(tenantId, now),
      ]);
      const body = usageReport({
        days: period.days,
        plan,
        quota: deployedSmsQuota(plan),
        apiRequestsPerMinute: tenantLimit(plan),
        sms,
        apiRequests,
        ...counted,
        current: { ...current, month: usageMonth(now) },
      });
      return { status: 200, body, readWork: work };
    },
  },
  { requestLimit: tenantRequestLimit },
);
