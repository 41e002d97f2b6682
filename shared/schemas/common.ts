import * as z from 'zod';

export const Iso8601 = z.iso.datetime({ offset: true }).describe('RFC 3339 date-time');

export const IanaTimezone = z
  .string()
  .refine(isKnownTimezone, { message: 'Must be an IANA time zone such as Asia/Taipei' })
  .describe('IANA time zone');

export const Locale = z.enum(['zh-TW', 'en']);

export const CountryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'Must be an ISO 3166-1 alpha-2 country code such as TW')
  .describe('ISO 3166-1 alpha-2 country code');

export const PaginationQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().optional().describe('Pass as `cursor` to read the next page; absent on the last page'),
  });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string().describe('JSON path of the invalid field, e.g. $.phone'), message: z.string() }))
      .optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

function isKnownTimezone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}
