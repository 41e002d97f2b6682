import { type ContactListing, contactListing, isContactListingPosition, listContacts, positionAfterContact } from '../../shared/data/contacts-repo';
import { getSurveyTemplateVersion } from '../../shared/data/survey-templates-repo';
import { putAuditEntry } from '../../shared/data/audit-log-repo';
import { newAuditEntry } from '../../shared/domain/audit';
import { auditContextOf } from '../../shared/http/audit';
import { isSurveyPositionIn, listSurveys, positionAfterSurvey, surveyListPartition } from '../../shared/data/surveys-repo';
import { getSettings } from '../../shared/data/tenants-repo';
import { InvalidContact, listingWindow } from '../../shared/domain/contact';
import { resolvePeriod } from '../../shared/domain/analytics/intervals';
import { wallClockDateTime } from '../../shared/domain/wall-clock';
import { type CsvValue, CsvSheet } from '../../shared/http/csv';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';
import { createApiHandler } from '../../shared/http/handler';
import type { OperationRequest, RequestOf, ResultOf } from '../../shared/http/operation';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { badRequest, validationFailed } from '../../shared/http/problem';
import type { Contact } from '../../shared/schemas/contact';
import type { Survey } from '../../shared/schemas/survey';
import type { SurveyTemplate } from '../../shared/schemas/survey-template';
import { surveyScores } from '../../shared/domain/surveys/scores';
import { exportRoutes } from '../../shared/http/routes/exports';

/** Where reading goes on: a position the repos gave (a table key), carried in the cursor. */
type Position = Record<string, string>;

/**
 * API Gateway buffers a Lambda answer and refuses one over 6 MB, counted on the JSON envelope the
 * body travels in (where a quote or a line break takes two bytes). An answer stops before 5 MB of
 * that, or after the row limit, or when reading has taken 6 of the function's 10 seconds, and
 * links the rest with `Link: <…?cursor=…>; rel="next"`.
 */
const maxEnvelopeBytes = 5_000_000;
const readingBudgetMs = 6_000;
const pageSize = 100;

const contactColumns = [
  'contactId',
  'externalContactId',
  'customerId',
  'status',
  'channel',
  'direction',
  'purpose',
  'queue',
  'agentId',
  'reasonCode',
  'startedAt',
  'startedAtLocal',
  'queuedAt',
  'answeredAt',
  'endedAt',
  'afterContactWorkEndedAt',
  'closedAt',
  'waitSeconds',
  'handleSeconds',
  'outcome',
  'firstContactResolution',
] as const;

const dimensions = ['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'] as const;

const surveyColumns = [
  'surveyId',
  'contactId',
  'customerId',
  'agentId',
  'queue',
  'channel',
  'origin',
  'deliveryChannel',
  'status',
  'templateId',
  'templateVersion',
  'language',
  'createdAt',
  'sentAt',
  'completedAt',
  'expiredAt',
  'csat',
  'nps',
  'ces',
  'resolved',
  ...dimensions,
  'answers',
] as const;

const wentOut = new Set<Survey['status']>(['sent', 'in_progress', 'completed', 'expired']);

export const handler = createApiHandler('exports', exportRoutes, {
  async exportContacts(request) {
    const { tenantId, query } = request;
    const timezone = await timezoneOf(tenantId);
    const window = rangeOf(instantsOf(query, timezone));
    const listing = contactListing(tenantId, {}, window);
    const withNotes = query.include === 'notes';
    const sheet = new CsvSheet([...contactColumns, ...(withNotes ? ['notes'] : [])], { maxRows: query.limit, maxEnvelopeBytes });
    const deadline = performance.now() + readingBudgetMs;

    let position = contactPosition(query.cursor, tenantId, listing);
    let next: Position | undefined;
    reading: for (;;) {
      const page = await listContacts(listing, pageSize, position);
      for (const contact of page.items) {
        const row = contactRow(contact, timezone);
        if (!sheet.add(withNotes ? [...row, contact.notes] : row)) {
          next = position;
          break reading;
        }
        position = positionAfterContact(tenantId, contact);
      }
      if (!page.next) break;
      position = page.next;
      if (performance.now() > deadline) {
        next = position;
        break;
      }
    }
    await recordDownload(request, 'contacts', sheet.rows);
    return csvAnswer(request, 'contacts', sheet, next);
  },

  async exportSurveyResponses(request) {
    const { tenantId, query } = request;
    const { from, to } = instantsOf(query, await timezoneOf(tenantId));
    rangeOf({ from, to });
    const sheet = new CsvSheet(surveyColumns, { maxRows: query.limit, maxEnvelopeBytes });
    const templates = new Map<string, Promise<SurveyTemplate | undefined>>();
    const templateOf = (survey: Survey) => {
      if (survey.templateId === undefined || survey.templateVersion === undefined) return Promise.resolve(undefined);
      const name = `${survey.templateId}#${survey.templateVersion}`;
      if (!templates.has(name)) templates.set(name, getSurveyTemplateVersion(tenantId, survey.templateId, survey.templateVersion));
      return templates.get(name)!;
    };
    const deadline = performance.now() + readingBudgetMs;

    let position = surveyPosition(query.cursor, tenantId, from, to);
    let next: Position | undefined;
    reading: for (;;) {
      const page = await listSurveys(tenantId, { from, to }, pageSize, position);
      const sent = page.items.filter((survey) => wentOut.has(survey.status));
      const sentTemplates = await Promise.all(sent.map(templateOf));
      for (const [index, survey] of sent.entries()) {
        if (!sheet.add(surveyRow(survey, sentTemplates[index]))) {
          next = position;
          break reading;
        }
        position = positionAfterSurvey(tenantId, survey);
      }
      if (!page.lastKey) break;
      position = page.lastKey as Position;
      if (performance.now() > deadline) {
        next = position;
        break;
      }
    }
    await recordDownload(request, 'survey-responses', sheet.rows);
    return csvAnswer(request, 'survey-responses', sheet, next);
  },
}, { requestLimit: tenantRequestLimit });

/**
 * The download's audit entry, written before the file is answered: a read has no write to share a
 * transaction with, so the entry comes first, and if it cannot be written the file is not given
 * (the request fails, and its retry is another download). Every page is a download of its own.
 */
async function recordDownload(request: DownloadRequest, name: 'contacts' | 'survey-responses', rows: number) {
  const query: { from: string; to: string; cursor?: string; include?: string } = request.query;
  const entry = newAuditEntry(request.tenantId, auditContextOf(request), {
    action: 'export.downloaded',
    target: { type: 'export', id: name },
    summary: { export: name, from: query.from, to: query.to, rows, withNotes: query.include === 'notes', continued: query.cursor !== undefined },
    at: new Date().toISOString(),
  });
  await putAuditEntry(entry);
}

type DownloadRequest = Pick<RequestOf<typeof exportRoutes, 'exportSurveyResponses'>, 'query' | 'tenantId' | 'caller' | 'source'>;

/** What csvAnswer reads of either export's request (the survey responses' query is the contacts' without `include`). */
type CsvRequest = Pick<RequestOf<typeof exportRoutes, 'exportContacts'>, 'query'> & Pick<OperationRequest, 'route'>;

function csvAnswer(request: CsvRequest, name: string, sheet: CsvSheet, next: Position | undefined): ResultOf<typeof exportRoutes, 'exportContacts'> {
  const { query } = request;
  const filename = `${name}_${query.from.slice(0, 10)}_${query.to.slice(0, 10)}.csv`.replace(/[^A-Za-z0-9_.-]/g, '');
  const headers: Record<string, string> = {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  };
  const cursor = encodeCursor(next);
  if (cursor) {
    const params = new URLSearchParams({ from: query.from, to: query.to });
    params.set('limit', String(query.limit));
    if (query.include) params.set('include', query.include);
    params.set('cursor', cursor);
    headers.link = `<${request.route.path}?${params}>; rel="next"`;
  }
  return { status: 200, headers, text: sheet.text };
}

const timezoneOf = async (tenantId: string) => (await getSettings(tenantId))?.timezone ?? 'UTC';

/** The range as instants: a date is a whole day in the tenant's time zone, `to` included. */
function instantsOf(query: { from: string; to: string }, timezone: string): { from: string; to: string } {
  const { start, end } = resolvePeriod(query.from, query.to, timezone);
  if (!(start < end)) throw validationFailed([{ path: 'query.to', message: 'to must be after from' }]);
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

/** The range's UTC days, newest first (at most 31); 400 with the field's path otherwise. */
function rangeOf(query: { from: string; to: string }) {
  try {
    return listingWindow({ from: query.from, to: query.to }, new Date().toISOString());
  } catch (error) {
    if (error instanceof InvalidContact) {
      throw validationFailed(
        error.errors.map((issue) =>
          issue.path === 'query.from' ? { ...issue, message: 'An export spans at most 31 days; narrow from/to and download each part' } : issue,
        ),
      );
    }
    throw error;
  }
}

function contactRow(contact: Contact, timezone: string): CsvValue[] {
  return [
    contact.contactId,
    contact.externalContactId,
    contact.customerId,
    contact.status,
    contact.channel,
    contact.direction,
    contact.purpose,
    contact.queue,
    contact.agentId,
    contact.reasonCode,
    contact.startedAt,
    wallClockDateTime(Date.parse(contact.startedAt), timezone),
    contact.queuedAt,
    contact.answeredAt,
    contact.endedAt,
    contact.afterContactWorkEndedAt,
    contact.closedAt,
    contact.waitSeconds,
    contact.handleSeconds,
    contact.outcome,
    contact.firstContactResolution,
  ];
}

function surveyRow(survey: Survey, template: SurveyTemplate | undefined): CsvValue[] {
  const scores = template ? surveyScores(template, survey.answers) : {};
  return [
    survey.surveyId,
    survey.contactId,
    survey.customerId,
    survey.agentId,
    survey.queue,
    survey.channel,
    survey.origin,
    survey.deliveryChannel,
    survey.status,
    survey.templateId,
    survey.templateVersion,
    survey.language,
    survey.createdAt,
    survey.sentAt,
    survey.completedAt,
    survey.expiredAt,
    scores.csat,
    scores.nps,
    scores.ces,
    scores.resolved,
    ...dimensions.map((dimension) => scores.dimensions?.[dimension]),
    JSON.stringify(survey.answers),
  ];
}

const invalidCursor = () => badRequest('The cursor is not valid for this export; start again without it');

/** A contacts cursor: a position in the export's listing. */
function contactPosition(cursor: string | undefined, tenantId: string, listing: ContactListing): Position | undefined {
  const position = decodeCursor(cursor, tenantId, {});
  if (!position) return undefined;
  if (!isContactListingPosition(tenantId, listing, position)) throw invalidCursor();
  return position;
}

/** A surveys cursor: the position of a survey of the tenant inside the range. */
function surveyPosition(cursor: string | undefined, tenantId: string, from: string, to: string): Position | undefined {
  const position = decodeCursor(cursor, tenantId, surveyListPartition(tenantId, {}).key);
  if (!position) return undefined;
  if (!isSurveyPositionIn(tenantId, position, from, to)) throw invalidCursor();
  return position;
}
