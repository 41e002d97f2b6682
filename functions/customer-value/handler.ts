import {
  claimRefresh,
  dailyRunArmed,
  getSummary,
  getTransactionById,
  lastRefreshRequest,
  listTransactions,
  markDailyRunArmed,
  recordTransaction,
  releaseRefresh,
  transactionListPartition,
} from '../../shared/data/customer-value-repo';
import { getCustomer } from '../../shared/data/customers-repo';
import { getSettings } from '../../shared/data/tenants-repo';
import {
  InvalidTransaction,
  WrongCurrency,
  addTransaction,
  emptySummary,
  newTransaction,
  resolveCustomerValueSettings,
  sameTransaction,
} from '../../shared/domain/customer-value';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';
import { createApiHandler } from '../../shared/http/handler';
import type { RequestOf, ResultOf } from '../../shared/http/operation';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { withIdempotency } from '../../shared/http/idempotency';
import { HttpError, conflict, customerErased, notFound, unprocessable, validationFailed } from '../../shared/http/problem';
import { looksLikeId, newId } from '../../shared/ids';
import { logger } from '../../shared/observability';
import { armDailyRun, armManualRun } from '../../shared/services/customer-value-runs';
import type { Customer } from '../../shared/schemas/customer';
import type { Transaction } from '../../shared/schemas/customer-value';
import { customerValueRoutes } from '../../shared/http/routes/customer-value';


/** The refresh route runs the job at most this often per tenant. */
const refreshIntervalMs = 60_000;

/** Another transaction of the same customer may land between our read and write; we re-read this often. */
const maxAttempts = 4;

/** Tenants whose daily run this container already knows to be armed. */
const armedTenants = new Set<string>();

export const handler = createApiHandler(
  'customer-value', customerValueRoutes,
  {
    async createCustomerTransaction(request) {
      const { tenantId, body } = request;
      const settings = await getSettings(tenantId);
      if (!settings) throw notFound('No such tenant');
      const valueSettings = resolveCustomerValueSettings(settings);
      const customerId = request.params.customerId;
      const transactionId = body.transactionId ?? newId('txn');
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const customer = await activeCustomer(tenantId, customerId);
        if (body.transactionId !== undefined) {
          const stored = await getTransactionById(tenantId, customerId, body.transactionId);
          if (stored) return repeated(stored, body);
        }
        const transaction = domainRule(() =>
          newTransaction(body, { customerId, transactionId, settings: valueSettings, now: new Date().toISOString() }),
        );
        const outcome = await recordTransaction(tenantId, customer.version, addTransaction(customer.value, transaction), transaction);
        if (outcome.kind === 'duplicate') return repeated(outcome.stored, body);
        if (outcome.kind === 'recorded') {
          await ensureDailyRun(tenantId, settings.timezone);
          return {
            status: 201,
            headers: { location: `/v1/customers/${customerId}/transactions` },
            body: transaction,
          };
        }
      }
      throw conflict('The customer kept changing while the transaction was recorded; retry', 'customer-busy');
    },

    async listCustomerTransactions(request) {
      const { tenantId, query } = request;
      const customerId = request.params.customerId;
      await activeCustomer(tenantId, customerId);
      const startKey = decodeCursor(query.cursor, tenantId, transactionListPartition(tenantId, customerId));
      const page = await listTransactions(tenantId, customerId, query.limit, startKey);
      return { status: 200, body: { items: page.items, nextCursor: encodeCursor(page.lastKey) } };
    },

    async getCustomerSegments(request) {
      const summary = await getSummary(request.tenantId);
      if (summary) return { status: 200, body: summary };
      const settings = await getSettings(request.tenantId);
      const valueSettings = resolveCustomerValueSettings(settings ?? { defaultCountry: 'ZZ' });
      return { status: 200, body: emptySummary(valueSettings.currency, valueSettings.annualDiscountRatePercent / 100) };
    },

    async refreshCustomerSegments(request) {
      const { tenantId } = request;
      const now = new Date();
      if (!(await claimRefresh(tenantId, now, refreshIntervalMs))) {
        const last = await lastRefreshRequest(tenantId);
        const waitSeconds = Math.max(1, Math.ceil(((last ? Date.parse(last) : now.getTime()) + refreshIntervalMs - now.getTime()) / 1000));
        throw new HttpError('refresh-too-soon', `Segments are refreshed at most once a minute; try again in ${waitSeconds} s`, {
          headers: { 'retry-after': String(waitSeconds) },
        });
      }
      try {
        await armManualRun(tenantId, now);
      } catch (error) {
        await releaseRefresh(tenantId, now);
        throw error;
      }
      return { status: 202, headers: { location: '/v1/analytics/segments' }, body: { runAt: now.toISOString(), summary: '/v1/analytics/segments' } };
    },
  },
  { idempotency: withIdempotency, requestLimit: tenantRequestLimit },
);

async function activeCustomer(tenantId: string, customerId: string): Promise<Customer> {
  const stored = looksLikeId('cus', customerId) ? await getCustomer(tenantId, customerId) : undefined;
  if (!stored) throw notFound('No such customer');
  if (stored.state === 'erased') throw customerErased(customerId, stored.erasedAt);
  return stored.customer;
}

/** A transactionId recorded before: the same transaction again is a no-op, different content a conflict. */
function repeated(stored: Transaction, body: RequestOf<typeof customerValueRoutes, 'createCustomerTransaction'>['body']): ResultOf<typeof customerValueRoutes, 'createCustomerTransaction'> {
  if (!sameTransaction(stored, body)) {
    throw conflict(
      `Transaction ${stored.transactionId} was recorded before with different content`,
      'duplicate-transaction',
      { transactionId: stored.transactionId },
    );
  }
  return { status: 200, body: stored };
}

/**
 * The tenant's first transaction arms its daily run; from then on each run arms the next. The
 * timer is set before the marker, so a failure in between only sets the same-named timer again.
 */
async function ensureDailyRun(tenantId: string, timezone: string): Promise<void> {
  if (armedTenants.has(tenantId)) return;
  try {
    if (!(await dailyRunArmed(tenantId))) {
      const firstRunAt = await armDailyRun(tenantId, timezone, new Date());
      await markDailyRunArmed(tenantId, firstRunAt);
    }
    armedTenants.add(tenantId);
  } catch (error) {
    // The transaction is recorded; the next one tries to arm the run again.
    logger.error('Could not arm the daily customer-value run', error as Error);
  }
}

function domainRule<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof InvalidTransaction) throw validationFailed(error.errors);
    if (error instanceof WrongCurrency) {
      throw unprocessable(
        `This tenant records transactions in ${error.expected} (settings customerValue.currency); convert the amount first`,
        'wrong-currency',
      );
    }
    throw error;
  }
}
