import { ContactsExportQuery, SurveyResponsesExportQuery } from '../../schemas/exports';
import { defineRoutes, readonlyAccess } from '../route-types';

const csvAnswer =
  'text/csv; charset=utf-8, starting with a UTF-8 byte order mark, as an attachment; a Link rel="next" header when rows remain (docs/exports.md)';

const contactsCsvExample =
  '\uFEFFcontactId,externalContactId,customerId,status,channel,direction,purpose,queue,agentId,reasonCode,startedAt,startedAtLocal,' +
  'queuedAt,answeredAt,endedAt,afterContactWorkEndedAt,closedAt,waitSeconds,handleSeconds,outcome,firstContactResolution\r\n' +
  'con_01JFC7D8E9F0G1H2J3K4M5N6P7,5f3c2a10-8d4e-4b7a-9c61-2e0f7a9d1b34,cus_01JFB3C4D5E6F7G8H9J0K1M2N3,closed,voice,inbound,service,billing,agent-0042,' +
  'billing.dispute,2026-03-09T01:02:00.000Z,2026-03-09 09:02:00,2026-03-09T01:02:00.000Z,2026-03-09T01:02:45.000Z,2026-03-09T01:08:15.000Z,' +
  '2026-03-09T01:09:30.000Z,2026-03-09T01:09:31.000Z,45,405,resolved,true\r\n';

const surveyResponsesCsvExample =
  '\uFEFFsurveyId,contactId,customerId,agentId,queue,channel,origin,deliveryChannel,status,templateId,templateVersion,language,createdAt,sentAt,' +
  'completedAt,expiredAt,csat,nps,ces,resolved,reliability,responsiveness,assurance,empathy,tangibles,answers\r\n' +
  'svy_01JFG6H7J8K9M0N1P2Q3R4S5T6,con_01JFC7D8E9F0G1H2J3K4M5N6P7,cus_01JFB3C4D5E6F7G8H9J0K1M2N3,agent-0042,billing,voice,rules,sms,completed,' +
  'svt_01JFF5G6H7J8K9M0N1P2Q3R4S5,1,zh-TW,2026-03-09T01:09:31.000Z,2026-03-09T01:19:33.000Z,2026-03-09T01:25:02.000Z,,4,,,,,,,,,' +
  '"{""csat"":4,""comment"":null}"\r\n';

/** CSV downloads for the tenant's spreadsheets and BI tools. */
export const exportRoutes = defineRoutes([
  {
    operationId: 'exportContacts',
    method: 'GET',
    path: '/v1/exports/contacts',
    function: 'exports',
    access: readonlyAccess,
    tag: 'Exports',
    summary: 'Contacts started in a range of at most 31 days, as CSV',
    request: { query: ContactsExportQuery },
    description:
      'The contacts started in [from, to) as CSV (UTF-8 with a byte order mark, one header row), at most 31 days: a date is a whole tenant-local day (to included), ' +
      'an instant is exact (to excluded). include=notes adds the agents\' notes. An answer holds at most `limit` rows (default and most 10,000) and stops earlier at its size cap; ' +
      'a Link rel="next" header then names the rest. Each download is recorded in the audit log',
    examples: { request: { query: { from: '2026-03-01', to: '2026-03-31' } }, responses: { 200: contactsCsvExample } },
    responses: { 200: { description: csvAnswer, mediaType: 'text/csv', headers: ['Content-Disposition', 'Link'] } },
  },
  {
    operationId: 'exportSurveyResponses',
    method: 'GET',
    path: '/v1/exports/survey-responses',
    function: 'exports',
    access: readonlyAccess,
    tag: 'Exports',
    summary: 'Surveys that went out, decided in a range of at most 31 days, with their scores and answers, as CSV',
    request: { query: SurveyResponsesExportQuery },
    description:
      'The surveys that went out, decided in [from, to) (at most 31 days), with their scores and every answer, as CSV (UTF-8 with a byte order mark). ' +
      'Paged as the contacts export: at most `limit` rows (default and most 10,000), a Link rel="next" header while rows remain. Each download is recorded in the audit log',
    examples: { request: { query: { from: '2026-03-01T00:00:00+08:00', to: '2026-03-08T00:00:00+08:00', limit: '5000' } }, responses: { 200: surveyResponsesCsvExample } },
    responses: { 200: { description: csvAnswer, mediaType: 'text/csv', headers: ['Content-Disposition', 'Link'] } },
  },
]);
