import { ContactsExportQuery, SurveyResponsesExportQuery } from '../../schemas/exports';
import { defineRoutes, readonlyAccess } from '../route-types';

const csvAnswer =
  'text/csv; charset=utf-8, starting with a UTF-8 byte order mark, as an attachment; a Link rel="next" header when rows remain (docs/exports.md)';

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
    responses: { 200: { description: csvAnswer, mediaType: 'text/csv', headers: ['Content-Disposition', 'Link'] } },
  },
]);
