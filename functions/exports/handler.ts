import { type ContactListing, contactKeys, dayOf, listContacts } from '../../shared/data/contacts-repo';
import { getSurveyTemplateVersion } from '../../shared/data/survey-templates-repo';
import { listSurveys, surveyKeys } from '../../shared/data/surveys-repo';
import { getSettings } from '../../shared/data/tenants-repo';
import { tenantPrefix } from '../../shared/data/keys';
import { InvalidContact, listingWindow } from '../../shared/domain/contact';
import { resolvePeriod } from '../../shared/domain/analytics/intervals';
import { type CsvValue, CsvSheet } from '../../shared/http/csv';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';
import { createApiHandler } from '../../shared/http/handler';
import type { OperationRequest, RequestOf, ResultOf } from '../../shared/http/operation';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { badRequest, validationFailed } from '../../shared/http/problem';
import type { Contact } from '../../shared/schemas/contact';
import type { Survey } from '../../shared/schemas/survey';
import type { SurveyTemplate } from '../../shared/schemas/survey-template';
import { surveyScores } from '../../shared/domain/surveys/conversation';
import { exportRoutes } from '../../shared/http/routes/exports';

type Key = Record<string, string>;

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
    const listing: ContactListing = {
      index: 'gsi1',
      partitions: (window.days ?? []).map((day) => contactKeys.dayPartition(tenantId, day)),
      from: window.from,
      to: window.to,
      filters: {},
    };
    const withNotes = query.include === 'notes';
    const sheet = new CsvSheet([...contactColumns, ...(withNotes ? ['notes'] : [])], { maxRows: query.limit, maxEnvelopeBytes });
    const deadline = performance.now() + readingBudgetMs;

    let position = contactPosition(query.cursor, tenantId, listing);
    let next: Key | undefined;
    reading: for (;;) {
      const page = await listContacts(listing, pageSize, position);
      for (const contact of page.items) {
        const row = contactRow(contact, timezone);
        if (!sheet.add(withNotes ? [...row, contact.notes] : row)) {
          next = position;
          break reading;
        }
        position = contactIndexKey(tenantId, contact);
      }
      if (!page.next) break;
      position = page.next;
      if (performance.now() > deadline) {
        next = position;
        break;
      }
    }
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
    let next: Key | undefined;
    reading: for (;;) {
      const page = await listSurveys(tenantId, { from, to }, pageSize, position);
      const sent = page.items.filter((survey) => wentOut.has(survey.status));
      const sentTemplates = await Promise.all(sent.map(templateOf));
      for (const [index, survey] of sent.entries()) {
        if (!sheet.add(surveyRow(survey, sentTemplates[index]))) {
          next = position;
          break reading;
        }
        position = surveyIndexKey(tenantId, survey);
      }
      if (!page.lastKey) break;
      position = page.lastKey as Key;
      if (performance.now() > deadline) {
        next = position;
        break;
      }
    }
    return csvAnswer(request, 'survey-responses', sheet, next);
  },
}, { requestLimit: tenantRequestLimit });

/** What csvAnswer reads of either export's request (the survey responses' query is the contacts' without `include`). */
type CsvRequest = Pick<RequestOf<typeof exportRoutes, 'exportContacts'>, 'query'> & Pick<OperationRequest, 'route'>;

function csvAnswer(request: CsvRequest, name: string, sheet: CsvSheet, next: Key | undefined): ResultOf<typeof exportRoutes, 'exportContacts'> {
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
    localTime(contact.startedAt, timezone),
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

/** `YYYY-MM-DD HH:mm:ss` on the tenant's wall clock, the form spreadsheets read as a date-time. */
function localTime(iso: string, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The gsi1 key of a contact: where the next answer goes on after it. */
function contactIndexKey(tenantId: string, contact: Contact): Key {
  return {
    ...contactKeys.contact(tenantId, contact.contactId),
    gsi1pk: contactKeys.dayPartition(tenantId, dayOf(contact.startedAt)),
    gsi1sk: `${contact.startedAt}#${contact.contactId}`,
  };
}

function surveyIndexKey(tenantId: string, survey: Survey): Key {
  return {
    ...surveyKeys.survey(tenantId, survey.surveyId),
    gsi1pk: surveyKeys.all(tenantId).gsi1pk,
    gsi1sk: `${survey.createdAt}#${survey.surveyId}`,
  };
}

const invalidCursor = () => badRequest('The cursor is not valid for this export; start again without it');

/** A contacts cursor: the start of one of the range's day partitions, or the gsi1 key of a contact in one. */
function contactPosition(cursor: string | undefined, tenantId: string, listing: ContactListing): Key | undefined {
  const key = decodeCursor(cursor, tenantId, {});
  if (!key) return undefined;
  const names = Object.keys(key).sort().join(',');
  const valid =
    listing.partitions.includes(key.gsi1pk as string) &&
    (names === 'gsi1pk' ||
      (names === 'gsi1pk,gsi1sk,pk,sk' && String(key.pk).startsWith(`${tenantPrefix(tenantId)}#CON#`) && key.sk === 'CONTACT'));
  if (!valid) throw invalidCursor();
  return key as Key;
}

/** A surveys cursor: the gsi1 key of a survey of the tenant inside the range. */
function surveyPosition(cursor: string | undefined, tenantId: string, from: string, to: string): Key | undefined {
  const key = decodeCursor(cursor, tenantId, surveyKeys.all(tenantId));
  if (!key) return undefined;
  const names = Object.keys(key).sort().join(',');
  const order = String(key.gsi1sk);
  const valid =
    names === 'gsi1pk,gsi1sk,pk,sk' &&
    String(key.pk).startsWith(`${tenantPrefix(tenantId)}#SVY#`) &&
    key.sk === 'SURVEY' &&
    order >= from &&
    order < to;
  if (!valid) throw invalidCursor();
  return key as Key;
}
