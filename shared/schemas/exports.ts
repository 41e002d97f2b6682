import * as z from 'zod';
import { Iso8601 } from './common';

/** Rows one CSV answer holds at most; the answer also stops before 5 MB (see docs/exports.md). */
export const maxExportRows = 10_000;
export const maxExportRangeDays = 31;

const exportRange = {
  from: Iso8601.describe('Inclusive start of the range'),
  to: Iso8601.describe(`Exclusive end of the range; at most ${maxExportRangeDays} days after from`),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(maxExportRows)
    .default(maxExportRows)
    .describe('Rows in this answer at most; the answer may stop earlier at its size cap and then links the rest'),
  cursor: z.string().max(2048).optional().describe('From the Link rel="next" header of the previous answer'),
};

const rangeInOrder = (query: { from: string; to: string }) => Date.parse(query.from) < Date.parse(query.to);
const rangeIssue = { message: 'to must be after from', path: ['to'] };

export const ContactsExportQuery = z
  .strictObject({
    ...exportRange,
    include: z
      .literal('notes')
      .optional()
      .describe("include=notes adds the agents' free-text notes (personal data the tenant owns); left out by default"),
  })
  .refine(rangeInOrder, rangeIssue);
export type ContactsExportQuery = z.infer<typeof ContactsExportQuery>;

export const SurveyResponsesExportQuery = z.strictObject(exportRange).refine(rangeInOrder, rangeIssue);
export type SurveyResponsesExportQuery = z.infer<typeof SurveyResponsesExportQuery>;
