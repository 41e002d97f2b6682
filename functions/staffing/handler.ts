import { type HistoryDay, InvalidForecast, type StaffingInput, historyDates, planStaffing } from '../../shared/domain/analytics/staffing';
import { addDays, startOfLocalDay } from '../../shared/domain/analytics/intervals';
import { readCounterRows } from '../../shared/data/analytics-repo';
import { getSettings } from '../../shared/data/tenants-repo';
import { resolveAnalyticsSettings } from '../../shared/domain/settings';
import { businessCalendarOf, openingsOn, parseIsoDate, specialDayOn } from '../../shared/domain/business-calendar';
import { createApiHandler } from '../../shared/http/handler';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { notFound, validationFailed } from '../../shared/http/problem';
import type { RequestOf } from '../../shared/http/operation';
import { staffingRoutes } from '../../shared/http/routes/staffing';

type Overrides = Pick<
  RequestOf<typeof staffingRoutes, 'getStaffing'>['query'],
  'date' | 'interval' | 'targetPercent' | 'thresholdSeconds' | 'maxOccupancyPercent' | 'shrinkagePercent' | 'weeks' | 'model' | 'patienceSeconds'
>;

export const handler = createApiHandler('staffing', staffingRoutes, {
  async getStaffing(request) {
    return { status: 200, body: await plan(request.tenantId, request.query) };
  },

  async planStaffing(request) {
    return { status: 200, body: await plan(request.tenantId, request.body, request.body.forecast) };
  },
}, { requestLimit: tenantRequestLimit });

async function plan(tenantId: string, asked: Overrides, forecast?: RequestOf<typeof staffingRoutes, 'planStaffing'>['body']['forecast']) {
  const settings = await getSettings(tenantId);
  if (!settings) throw notFound('The tenant has no settings');
  const { serviceLevel, staffing } = resolveAnalyticsSettings(settings);
  const timeZone = settings.timezone;
  const weeks = asked.weeks ?? staffing.forecastWeeks;
  const dates = historyDates(asked.date, weeks, timeZone, Date.now());
  const input: StaffingInput = {
    date: asked.date,
    timeZone,
    intervalMinutes: asked.interval,
    model: asked.model,
    target: {
      serviceLevelPercent: asked.targetPercent ?? serviceLevel.targetPercent,
      thresholdSeconds: asked.thresholdSeconds ?? serviceLevel.thresholdSeconds,
      maxOccupancyPercent: asked.maxOccupancyPercent ?? staffing.maxOccupancyPercent,
      shrinkagePercent: asked.shrinkagePercent ?? staffing.shrinkagePercent,
    },
    weeks,
    history: await Promise.all(dates.map((date) => historyDay(tenantId, date, timeZone))),
    forecast,
    patienceSeconds: asked.patienceSeconds,
    specialDay: specialDayOf(asked.date, businessCalendarOf(settings)),
  };
  // A 0 % goal needs nobody and a 100 % one nobody can promise; the schemas leave both out, settings may not.
  if (input.target.serviceLevelPercent <= 0 || input.target.serviceLevelPercent >= 100) {
    const path = forecast ? '$.targetPercent' : 'query.targetPercent';
    throw validationFailed([{ path, message: 'The service-level goal (here or in settings) must be above 0 and below 100 percent' }]);
  }
  try {
    return planStaffing(input);
  } catch (error) {
    if (error instanceof InvalidForecast) throw validationFailed(error.errors);
    throw error;
  }
}

/** The calendar's special day on `date`, with its opening intervals as instants. */
function specialDayOf(date: string, calendar: ReturnType<typeof businessCalendarOf>): StaffingInput['specialDay'] {
  const day = specialDayOn(parseIsoDate(date), calendar);
  return day && { name: day.name, openings: openingsOn(parseIsoDate(date), calendar) };
}

async function historyDay(tenantId: string, date: string, timeZone: string): Promise<HistoryDay> {
  const rows = await readCounterRows(tenantId, 'all', new Date(startOfLocalDay(date, timeZone)), new Date(startOfLocalDay(addDays(date, 1), timeZone)));
  return { date, rows };
}
