import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { customersWithValue, putSummary, transactionsSince, writeCustomerValue } from '../../shared/data/customer-value-repo';
import { getSettings } from '../../shared/data/tenants-repo';
import {
  type CustomerFigures,
  recompute,
  resolveCustomerValueSettings,
  valueChanged,
  windowFigures,
  yearWindows,
} from '../../shared/domain/customer-value';
import { mapConcurrently } from '../../shared/concurrency';
import { logger, metrics, MetricUnit, withLambdaContext } from '../../shared/observability';
import { CustomerValueRunPayload, armDailyRun } from '../../shared/services/customer-value-runs';

export type RefreshOutcome =
  | { kind: 'invalid' }
  | { kind: 'ignored' }
  | { kind: 'computed'; customersScored: number; customersWritten: number; customersSkipped: number };

/** Per-customer reads and writes in flight at once: enough to hide latency, few enough to stay off throttling. */
const concurrency = 8;

/**
 * One run of a tenant's customer-value job, as of the payload's `runAt` (never this host's clock:
 * the twin drives timers by its own). It first arms the next daily run, so that a run that fails
 * does not end the chain (Scheduler retries the failed one; the function's error alarm reports
 * it). Then it reads every customer with purchases and their last two years of transactions,
 * scores them, writes the customers whose figures changed, and stores the tenant summary.
 */
export async function handleCustomerValueRun(event: unknown): Promise<RefreshOutcome> {
  const parsed = CustomerValueRunPayload.safeParse(event);
  if (!parsed.success) {
    // A retry cannot fix a malformed payload; dropping it is all there is to do.
    logger.error('Customer-value run payload is not valid', { issues: parsed.error.issues.map((issue) => issue.path.join('.')) });
    return { kind: 'invalid' };
  }
  const { tenantId, trigger } = parsed.data;
  const asOf = new Date(parsed.data.runAt);
  logger.appendKeys({ tenantId, trigger, runAt: parsed.data.runAt });
  const settings = await getSettings(tenantId);
  if (!settings) {
    logger.warn('Customer-value run for a tenant that does not exist; the chain ends');
    return { kind: 'ignored' };
  }
  await armDailyRun(tenantId, settings.timezone, asOf);

  const valueSettings = resolveCustomerValueSettings(settings);
  const { previousYearFrom } = yearWindows(asOf);
  const customers = await customersWithValue(tenantId);
  const figures = await mapConcurrently(customers, concurrency, async (customer): Promise<CustomerFigures> => ({
    ...customer,
    ...windowFigures(await transactionsSince(tenantId, customer.customerId, previousYearFrom), asOf),
  }));
  const result = recompute(figures, valueSettings, asOf);
  const changed = result.customers.filter((customer) => valueChanged(customer.before, customer.after));
  const written = await mapConcurrently(changed, concurrency, (customer) =>
    writeCustomerValue(tenantId, customer.customerId, customer.version, customer.after),
  );
  const customersWritten = written.filter(Boolean).length;
  await putSummary(tenantId, result.summary);

  metrics.addMetric('CustomerValueRuns', MetricUnit.Count, 1);
  metrics.addMetric('CustomersScored', MetricUnit.Count, result.customers.length);
  logger.info('Customer value computed', {
    customersScored: result.customers.length,
    customersWritten,
    // Changed by a transaction while the run was going: scored again by the next run.
    customersSkipped: changed.length - customersWritten,
  });
  return { kind: 'computed', customersScored: result.customers.length, customersWritten, customersSkipped: changed.length - customersWritten };
}

export const handler = middy<unknown, RefreshOutcome, Error, Context>()
  .use(withLambdaContext())
  .use(logMetrics(metrics))
  .handler(async (event) => handleCustomerValueRun(event));
