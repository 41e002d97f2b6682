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
    description:
      'Everything an agent needs on one screen, in one DynamoDB request: the profile with consent and value (as GET /v1/customers/{customerId} shows it, always current), ' +
      'the latest 10 contacts, open cases with their SLA deadlines, the latest completed survey\'s scores and words, open and recently converted referrals, ' +
      'and a suggested next step from what is open and the value segment (an open complaint: recover first; a champion: thank and offer; at risk: win back). ' +
      'Except the profile it is read from a projection kept from events, so a change made a moment ago may not show yet. An erased customer answers 410',
    examples: {
      request: { params: { customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3' } },
      responses: {
        200: {
          customer: {
            customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3',
            displayName: 'Chen Mei-Ling',
            phone: '+886912345678',
            language: 'zh-TW',
            tags: ['vip'],
            consent: { sms: { status: 'granted', source: 'web-form', at: '2026-03-05T02:00:00.000Z' }, email: { status: 'unknown' }, marketing: { status: 'unknown' } },
            version: 3,
            createdAt: '2026-03-05T02:00:00.000Z',
            updatedAt: '2026-03-09T01:25:02.000Z',
          },
          recentContacts: [
            {
              contactId: 'con_01JFC7D8E9F0G1H2J3K4M5N6P7',
              status: 'closed',
              customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3',
              channel: 'voice',
              direction: 'inbound',
              purpose: 'service',
              queue: 'billing',
              agentId: 'agent-0042',
              startedAt: '2026-03-09T01:02:00.000Z',
              waitSeconds: 45,
              handleSeconds: 405,
              outcome: 'resolved',
              firstContactResolution: true,
              closedAt: '2026-03-09T01:09:31.000Z',
            },
          ],
          openCases: [
            {
              caseId: 'cas_01JFD2E3F4G5H6J7K8M9N0P1Q2',
              type: 'complaint',
              severity: 'high',
              category: 'billing',
              status: 'open',
              assignee: 'agent-0042',
              openedAt: '2026-03-09T01:10:00.000Z',
              breached: false,
              sla: { firstResponse: { dueAt: '2026-03-09T05:10:00.000Z', metAt: '2026-03-09T02:05:00.000Z' }, resolution: { dueAt: '2026-03-11T01:10:00.000Z' } },
            },
          ],
          olderCasesNotRead: false,
          latestSurvey: {
            surveyId: 'svy_01JFG6H7J8K9M0N1P2Q3R4S5T6',
            contactId: 'con_01JFC7D8E9F0G1H2J3K4M5N6P7',
            completedAt: '2026-03-09T01:25:02.000Z',
            templateId: 'svt_01JFF5G6H7J8K9M0N1P2Q3R4S5',
            templateVersion: 1,
            scores: { csat: 4, nps: null, ces: null },
            words: ['The agent explained the bill clearly'],
          },
          referrals: {
            open: [
              {
                referralId: 'ref_01JFC8A1B2C3D4E5F6G7H8J9K0',
                contactId: 'con_01JFC7D8E9F0G1H2J3K4M5N6P7',
                product: 'Fibre 1G',
                status: 'open',
                referredBy: 'agent-0042',
                assignedTo: 'sales-007',
                madeAt: '2026-03-09T01:06:00.000Z',
              },
            ],
            converted: [],
          },
          suggestedNextStep: { action: 'recover_first', caseId: 'cas_01JFD2E3F4G5H6J7K8M9N0P1Q2' },
        },
      },
    },
    problems: ['customer-erased'],
    responses: { 200: { description: 'The overview', schema: CustomerOverview } },
  },
]);
