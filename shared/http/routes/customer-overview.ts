import { CustomerIdParams } from '../../schemas/customer';
import { CustomerOverview } from '../../schemas/customer-overview';
import { defineRoutes, readonlyAccess } from '../route-types';

/** The customer 360 view an agent opens. */
export const customerOverviewRoutes = defineRoutes([
  {
    operationId: 'getCustomerOverview',
    method: 'GET',
    path: '/v1/customers/{customerId}/overview',
    function: 'customer-overview',
    access: readonlyAccess,
    tag: 'Customers',
    summary:
      'Who the customer is, what they are worth, what happened recently and what is still open, in one answer; an erased customer answers 410',
    request: { params: CustomerIdParams },
    problems: ['customer-erased'],
    responses: { 200: { description: 'The overview', schema: CustomerOverview } },
  },
]);
