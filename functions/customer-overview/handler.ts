import { readCustomerOverview } from '../../shared/data/customer-overview-repo';
import { overviewSections } from '../../shared/domain/customer-overview';
import { suggestedNextStep } from '../../shared/domain/customer-overview-next-step';
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
    const now = new Date();
    const sections = overviewSections(data.projection, Math.floor(now.getTime() / 1000));
    const overview: CustomerOverview = {
      customer: data.customer,
      ...sections,
      olderCasesNotRead: data.truncated,
      suggestedNextStep: suggestedNextStep({
        customer: data.customer,
        openCases: sections.openCases,
        latestSurvey: sections.latestSurvey,
        openReferrals: sections.referrals.open,
        now,
      }),
    };
    return { status: 200, body: overview };
  },
}, { requestLimit: tenantRequestLimit });
