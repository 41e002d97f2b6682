import * as z from '../zod';
import { isCalendarDate } from '../domain/business-calendar';

export const Iso8601 = z.described(z.iso.datetime({ offset: true }).check(z.maxLength(64)), 'RFC 3339 date-time');

export const IanaTimezone = z.described(
  z.string().check(z.maxLength(64), z.refine(isKnownTimezone, { message: 'Must be an IANA time zone such as Asia/Taipei' })),
  'IANA time zone',
);

/** A reason code as contacts carry it; the tenant lists its codes in settings.reasonCodes. */
export const ReasonCodeValue = z.withMeta(
  z.string().check(z.trim(), z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'Letters, digits, _ . - (up to 64), starting with a letter or digit')),
  { maxLength: 64 },
);

export const E164 = z.withMeta(
  z.string().check(z.trim(), z.regex(/^\+[1-9]\d{6,14}$/, 'Must be a phone number in E.164, such as +886287654321')),
  { maxLength: 16 },
);

export const Locale = z.enum(['zh-TW', 'en']);

export const CountryCode = z.withMeta(z.string().check(z.regex(/^[A-Z]{2}$/, 'Must be an ISO 3166-1 alpha-2 country code such as TW')), {
  description: 'ISO 3166-1 alpha-2 country code',
  maxLength: 2,
});

export const PaginationQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

export const Page = <T extends z.ZodMiniType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.described(z.optional(z.string()), 'Pass as `cursor` to read the next page; absent on the last page'),
  });

function isKnownTimezone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}

const localDate = /^\d{4}-\d{2}-\d{2}$/;
const Instant = z.iso.datetime({ offset: true });

/** What a PeriodBound looks like: a date, or a date-time with its offset. */
export const periodBoundPattern = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$';

/**
 * A tenant-local calendar date or an instant; see docs/metrics.md, "Periods". The pattern is for
 * the OpenAPI document: the refinement checks the same shapes, and that the date exists.
 */
export const PeriodBound = z.withMeta(
  z.string().check(
    z.maxLength(64),
    z.refine((value) => (localDate.test(value) ? isCalendarDate(value) : Instant.safeParse(value).success), {
      message: 'Must be a date (YYYY-MM-DD, a day in the tenant time zone) or an RFC 3339 date-time with offset',
    }),
  ),
  { pattern: periodBoundPattern },
);
