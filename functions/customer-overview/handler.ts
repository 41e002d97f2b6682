import { readCustomerOverview } from '../../shared/data/customer-overview-repo';
import { overviewSections } from '../../shared/domain/customer-overview';
import { createApiHandler } from '../../shared/http/handler';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { customerErased, notFound } from '../../shared/http/problem';
import { customerOverviewRoutes } from '../../shared/http/routes/customer-overview';
import type { CustomerOverview } from '../../shared/schemas/customer-overview';
import { looksLikeId } from '../../shared/ids';

export const handler = createApiHandler('customer-overview', customerOverviewRoutes, {
  async getCustomerOverview(request) {
    const { tenantId } = request;
    const { customerId } = request.params;
    const data = looksLikeId('cus', customerId) ? await readCustomerOverview(tenantId, customerId) : undefined;
    if (!data) throw notFound('No such customer');
    if (data.state === 'erased') {
      // As GET /v1/customers/{customerId} answers an erased customer, with the tombstone's facts.
      throw customerErased(customerId, data.erasedAt);
    }
    const overview: CustomerOverview = {
      customer: data.customer,
      ...overviewSections(data.projection, Math.floor(Date.now() / 1000)),
      olderCasesNotRead: data.truncated,
    };
    return { status: 200, body: overview };
  },
}, { requestLimit: tenantRequestLimit });
