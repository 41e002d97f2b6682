import { Page } from '../../schemas/common';
import { CustomerIdParams } from '../../schemas/customer';
import {
  CreateTransactionBody,
  ListTransactionsQuery,
  RefreshAccepted,
  SegmentsSummary,
  Transaction,
} from '../../schemas/customer-value';
import { defineRoutes, adminAccess, agentAccess, readonlyAccess } from '../route-types';

const transactionExample = {
  transactionId: 'POS-2026-000381',
  customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3',
  kind: 'purchase',
  amount: 1299,
  currency: 'TWD',
  at: '2026-03-08T10:30:00+08:00',
  product: 'Fibre 1G, first month',
  margin: 389.7,
  marginEstimated: true,
  recordedAt: '2026-03-08T02:31:05.000Z',
} as const;

const customerIdExample = { customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3' } as const;

/** Customer value: purchases, and the RFM segments the daily job computes from them (docs/customer-value.md). */
export const customerValueRoutes = defineRoutes([
  {
    operationId: 'createCustomerTransaction',
    method: 'POST',
    path: '/v1/customers/{customerId}/transactions',
    function: 'customer-value',
    access: agentAccess,
    tag: 'Customer value',
    summary: "Record a purchase (or, with a negative amount, a refund) on the customer's value figures",
    idempotent: true,
    request: { params: CustomerIdParams, body: CreateTransactionBody },
    description:
      'Records a purchase, or with a negative amount a refund, in the tenant currency (settings.customerValue.currency; another answers 422) and updates the customer\'s value figures; ' +
      'the margin defaults to amount × defaultMarginPercent. transactionId is the tenant\'s own id, unique per customer: a repeat with the same content answers the stored one (200), ' +
      'with other content 409. Idempotency-Key makes a retry answer the first result',
    examples: {
      request: {
        params: customerIdExample,
        body: { transactionId: 'POS-2026-000381', amount: 1299, currency: 'TWD', at: '2026-03-08T10:30:00+08:00', product: 'Fibre 1G, first month' },
      },
      responses: { 201: transactionExample },
    },
    problems: ['customer-erased', 'customer-busy', 'duplicate-transaction', 'wrong-currency', 'replay-erased'],
    responses: {
      201: { description: 'Recorded', schema: Transaction, headers: ['Location'] },
      200: { description: 'This transactionId was recorded before with the same content; the stored transaction', schema: Transaction },
    },
  },
  {
    operationId: 'listCustomerTransactions',
    method: 'GET',
    path: '/v1/customers/{customerId}/transactions',
    function: 'customer-value',
    access: readonlyAccess,
    tag: 'Customer value',
    summary: "The customer's transactions, newest first",
    request: { params: CustomerIdParams, query: ListTransactionsQuery },
    description:
      'The customer\'s purchases and refunds, newest first. Paged by `limit` (1–100, default 25) and `cursor`',
    examples: { request: { params: customerIdExample, query: { limit: '25' } }, responses: { 200: { items: [transactionExample] } } },
    problems: ['customer-erased'],
    responses: { 200: { description: 'A page of transactions', schema: Page(Transaction) } },
  },
  {
    operationId: 'getCustomerSegments',
    method: 'GET',
    path: '/v1/analytics/segments',
    function: 'customer-value',
    access: readonlyAccess,
    tag: 'Customer value',
    summary: 'Customers and value per RFM segment, tier and profit × loyalty quadrant, as of the last run',
    description:
      'The result of the last customer-value run (daily at 03:00 in the tenant\'s time zone, or on refresh): customers, money and lifetime value per RFM segment, ' +
      'customers per value tier and profit × loyalty quadrant, the quintile thresholds and the retention used. computedAt is null until the first run',
    examples: {
      responses: {
        200: {
          computedAt: '2026-03-09T19:00:04.000Z',
          asOf: '2026-03-09T19:00:00.000Z',
          currency: 'TWD',
          customersScored: 2,
          thresholds: { recencyDays: [3, 12, 40, 120], frequency: [1, 1, 2, 4], monetary: [499, 1299, 3200, 9800] },
          quadrantCutoffs: { marginTotal: 389.7, loyalty: 6 },
          retention: { rate: 0.7, source: 'settings', previousYearCustomers: 0, retainedCustomers: 0 },
          annualDiscountRate: 0.1,
          segments: [
            { segment: 'new', customers: 1, monetaryTotal: 1299, marginTotal: 389.7, lifetimeValue: 682 },
            { segment: 'champions', customers: 1, monetaryTotal: 15600, marginTotal: 4680, lifetimeValue: 8190 },
          ],
          tiers: { high: 1, mid: 1, low: 0 },
          quadrants: { true_friends: 1, butterflies: 0, barnacles: 1, strangers: 0 },
        },
      },
    },
    responses: { 200: { description: 'The summary of the last run', schema: SegmentsSummary } },
  },
  {
    operationId: 'refreshCustomerSegments',
    method: 'POST',
    path: '/v1/analytics/segments/refresh',
    function: 'customer-value',
    access: adminAccess,
    tag: 'Customer value',
    summary: 'Recompute scores and segments now rather than at the next 03:00 run (once a minute per tenant)',
    idempotent: true,
    description:
      'Runs the customer-value job for the tenant now rather than at the next daily run; read GET /v1/analytics/segments once computedAt moves. ' +
      'Once a minute per tenant: sooner answers 429 with Retry-After. Idempotency-Key makes a retry answer the first result',
    examples: { responses: { 202: { runAt: '2026-03-09T08:15:00.000Z', summary: '/v1/analytics/segments' } } },
    problems: ['refresh-too-soon'],
    responses: { 202: { description: 'The run is scheduled to start at once', schema: RefreshAccepted, headers: ['Location'] } },
  },
]);
