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
    problems: ['refresh-too-soon'],
    responses: { 202: { description: 'The run is scheduled to start at once', schema: RefreshAccepted, headers: ['Location'] } },
  },
]);
