import * as z from '../zod';
import { PeriodBound } from './common';

/** Rows one CSV answer holds at most; the answer also stops before 5 MB (see docs/exports.md). */
export const maxExportRows = 10_000;
export const maxExportRangeDays = 31;

const exportRange = {
  from: z.described(PeriodBound, 'Start of the range: a date YYYY-MM-DD (a whole day in the tenant time zone) or an RFC 3339 instant'),
  to: z.described(
    PeriodBound,
    `End of the range, at most ${maxExportRangeDays} days after from: a date (that whole day included) or an instant (excluded)`,
  ),
  limit: z.described(
    z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(maxExportRows)), maxExportRows),
    'Rows in this answer at most; the answer may stop earlier at its size cap and then links the rest',
  ),
  cursor: z.described(z.optional(z.string().check(z.maxLength(2048))), 'From the Link rel="next" header of the previous answer'),
};

const isDate = (bound: string) => /^\d{4}-\d{2}-\d{2}$/.test(bound);
/** Dates are whole days, `to` included; the handler checks again once they are instants in the tenant's zone. */
const rangeInOrder = (query: { from: string; to: string }) =>
  isDate(query.from) && isDate(query.to) ? query.from <= query.to : Date.parse(query.from) < Date.parse(query.to);
const rangeIssue = { message: 'to must be after from', path: ['to'] };

export const ContactsExportQuery = z
  .strictObject({
    ...exportRange,
    include: z.described(
      z.optional(z.literal('notes')),
      "include=notes adds the agents' free-text notes (personal data the tenant owns); left out by default",
    ),
  })
  .check(z.refine(rangeInOrder, rangeIssue));
export type ContactsExportQuery = z.infer<typeof ContactsExportQuery>;

export const SurveyResponsesExportQuery = z.strictObject(exportRange).check(z.refine(rangeInOrder, rangeIssue));
export type SurveyResponsesExportQuery = z.infer<typeof SurveyResponsesExportQuery>;
