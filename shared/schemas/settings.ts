import * as z from '../zod';
import { CountryCode, IanaTimezone, Locale, ReasonCodeValue } from './common';
import { SlaPolicy, SlaPolicyPatch } from './case';
import { SurveyRules, SurveyRulesPatch } from './survey-template';
import { AnalyticsSettings, AnalyticsSettingsPatch } from './analytics';
import { CustomerValueSettings, CustomerValueSettingsPatch } from './customer-value';
import { isCalendarDate, overlappingIntervals, repeatedDates, timeOfDayPattern } from '../domain/business-calendar';

const TimeOfDay = z.withMeta(z.string().check(z.regex(timeOfDayPattern, 'Must be HH:MM, 24-hour (24:00 is the end of the day)')), { maxLength: 5 });

const OpeningHours = z
  .strictObject({ open: TimeOfDay, close: TimeOfDay })
  .check(z.refine((hours) => hours.open < hours.close, { message: 'open must be before close', path: ['close'] }));

/**
 * One day's opening intervals as a change gives them: besides each interval's own check, no two
 * may overlap; each offending interval is named (`$.businessHours.mon[1]` and `…mon[0]`). The
 * stored shape (`DayHours`) keeps only the checks of each interval, so settings stored before
 * this rule still read.
 */
const DayHoursChange = z.array(OpeningHours).check(
  z.maxLength(4),
  z.superRefine((hours, context) => {
    for (const { index, overlaps } of overlappingIntervals(hours)) {
      context.addIssue({ code: 'custom', path: [index], message: `Overlaps interval ${overlaps.map((other) => `[${other}]`).join(', ')} of the same day` });
    }
  }),
);
const DayHours = z.array(OpeningHours).check(z.maxLength(4));

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

const weeklyHours = <T extends typeof DayHours | typeof DayHoursChange>(day: T) =>
  z.described(
    z.strictObject({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }),
    'Opening intervals per weekday in the tenant time zone (HH:MM, `24:00` closes at midnight); an empty list means closed',
  );
export const BusinessHours = weeklyHours(DayHours);
const BusinessHoursChange = weeklyHours(DayHoursChange);

/** At most this many special days: a few years of holidays, and a bounded settings item (docs/developers/data-model.md). */
export const maxSpecialDays = 100;

const CalendarDate = z.withMeta(z.string().check(z.maxLength(10), z.refine(isCalendarDate, { message: 'Must be a calendar date, YYYY-MM-DD' })), { format: 'date' });

const specialDay = <T extends typeof DayHours | typeof DayHoursChange>(hours: T) =>
  z.strictObject({
    date: z.described(CalendarDate, "A day in the tenant's time zone"),
    name: z.described(z.string().check(z.trim(), z.minLength(1), z.maxLength(60)), 'What the day is, e.g. 春節 or Christmas Eve'),
    hours: z.described(hours, "The day's opening intervals instead of its weekday's; empty: closed all day (a holiday)"),
  });

const specialDays = <T extends typeof DayHours | typeof DayHoursChange>(hours: T) =>
  z.array(specialDay(hours)).check(
    z.maxLength(maxSpecialDays),
    z.superRefine((days, context) => {
      for (const index of repeatedDates(days)) {
        context.addIssue({ code: 'custom', path: [index, 'date'], message: 'Each date may appear once' });
      }
    }),
  );

export const SpecialDays = z.withMeta(specialDays(DayHours), {
  id: 'SpecialDays',
  description: `The business calendar: holidays and days with other hours, at most ${maxSpecialDays}, each date once; a settings change replaces the whole list`,
});
export type SpecialDays = z.infer<typeof SpecialDays>;
const SpecialDaysChange = z.described(
  specialDays(DayHoursChange),
  `Replaces the whole calendar (at most ${maxSpecialDays} days, each date once; no two intervals of a day may overlap); [] removes every special day`,
);

export const Branding = z.strictObject({
  displayName: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  colour: z.withMeta(z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'Must be a #RRGGBB colour')), { maxLength: 7 }),
});

/**
 * One entry of the tenant's contact reason taxonomy. A contact's reasonCode must name an active
 * entry; an inactive one stays on the contacts that already carry it, for their history.
 */

export const ReasonCode = z.withMeta(
  z.strictObject({
    code: ReasonCodeValue,
    label: z
      .partial(
        z.strictObject({
          en: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
          'zh-TW': z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
        }),
      )
      .check(z.refine((label) => label.en || label['zh-TW'], { message: 'Give a label in en or zh-TW' })),
    active: z._default(z.boolean(), true),
  }),
  { id: 'ReasonCode' },
);
export type ReasonCode = z.infer<typeof ReasonCode>;

/** The whole taxonomy is replaced by a patch (a JSON merge patch replaces arrays). */
export const ReasonCodes = z.described(
  z.array(ReasonCode).check(
    z.maxLength(500),
    z.refine((codes) => new Set(codes.map((entry) => entry.code)).size === codes.length, {
      message: 'Each code may appear once',
    }),
  ),
  'Contact reason codes; empty means no contact may carry a reasonCode until an admin defines them',
);

/** An Amazon Connect instance's ARN, lowercased: the form Connect's events name it in. */
export const ConnectInstanceArn = z
  .string()
  .check(
    z.trim(),
    z.toLowerCase(),
    z.maxLength(256),
    z.regex(
      /^arn:aws(-[a-z]+)*:connect:[a-z]{2}(-[a-z]+)+-\d:\d{12}:instance\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      'Must be an Amazon Connect instance ARN: arn:aws:connect:<region>:<account>:instance/<instance id>',
    ),
  );

/**
 * The address agents sign in to the instance at, as the Amazon Connect console shows it under
 * "Access URL": `https://<alias>.my.connect.aws`, or the older `https://<alias>.awsapps.com/connect`.
 * The desk embeds the Contact Control Panel from it (`<access URL>/ccp-v2/`); only these two
 * shapes, so the console never frames anything but Amazon Connect.
 */
export const ConnectAccessUrl = z
  .string()
  .check(
    z.trim(),
    z.toLowerCase(),
    z.overwrite((url) => url.replace(/\/$/, '')),
    z.maxLength(120),
    z.regex(
      /^https:\/\/[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.(?:my\.connect\.aws|awsapps\.com\/connect)$/,
      "Must be the instance's access URL: https://<alias>.my.connect.aws (or https://<alias>.awsapps.com/connect)",
    ),
  );

const connectInstanceArns = z.described(
  z.array(ConnectInstanceArn).check(
    z.maxLength(10),
    z.refine((arns) => new Set(arns).size === arns.length, { message: 'Each instance may appear once' }),
  ),
  "The Amazon Connect instances whose contact events are logged as this tenant's contacts: a choice among those the operator registered to the tenant (422 not-allocated otherwise)",
);
const connectAccessUrlDescription =
  "The instance's access URL (https://<alias>.my.connect.aws): the agents' desk embeds its Contact Control Panel. Absent: the desk shows none";

export const ConnectSettings = z.withMeta(
  z.strictObject({
    instanceArns: connectInstanceArns,
    accessUrl: z.described(z.optional(ConnectAccessUrl), connectAccessUrlDescription),
  }),
  { id: 'ConnectSettings', description: 'Amazon Connect: contact ingestion (docs/operations.md, "Amazon Connect") and the Contact Control Panel in the desk' },
);
/** Fields merged one by one: the instance list is replaced whole when given; `accessUrl: null` removes the URL. */
export const ConnectSettingsPatch = z.withMeta(
  z.strictObject({
    instanceArns: z.optional(connectInstanceArns),
    accessUrl: z.described(z.optional(z.nullable(ConnectAccessUrl)), `${connectAccessUrlDescription}; null removes it`),
  }),
  { id: 'ConnectSettingsPatch' },
);
export type ConnectSettings = z.infer<typeof ConnectSettings>;

/** A number in E.164: `+` and up to 15 digits. */

const smsArnPrefix = 'arn:aws(-[a-z]+)*:sms-voice:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:';
/**
 * What SendTextMessage accepts as OriginationIdentity for a two-way-capable sender: the phone
 * number (E.164), its ID or ARN, a pool's ID or ARN, or a sender ID's ARN (one-way). Only an E.164 number routes replies to the
 * tenant: AWS names the number a reply was sent to, never its ID or pool (docs/sms.md).
 */
export const SmsOriginationIdentity = z
  .string()
  .check(
    z.trim(),
    z.maxLength(256),
    z.regex(
      new RegExp(
        `^(\\+[1-9]\\d{6,14}|phone-[0-9a-f]{32}|pool-[0-9a-f]{32}|${smsArnPrefix}((phone-number/phone|pool/pool)-[0-9a-f]{32}|sender-id/[A-Za-z0-9-]{1,11}/[A-Z]{2}))$`,
      ),
      'Must be a phone number in E.164 (+886287654321), a phone number ID (phone-…) or pool ID (pool-…), the ARN of either, or a sender ID ARN',
    ),
  );

export const SmsConfigurationSetName = z
  .string()
  .check(
    z.trim(),
    z.maxLength(256),
    z.regex(
      new RegExp(`^([A-Za-z0-9_-]{1,64}|${smsArnPrefix}configuration-set/[A-Za-z0-9_-]{1,64})$`),
      'Must be a configuration set name (letters, digits, _ and -, up to 64) or its ARN',
    ),
  );

export const SmsOptOutListName = z
  .string()
  .check(
    z.trim(),
    z.maxLength(256),
    z.regex(
      new RegExp(`^([A-Za-z0-9_-]{1,64}|${smsArnPrefix}opt-out-list/[A-Za-z0-9_-]{1,64})$`),
      'Must be an opt-out list name (letters, digits, _ and -, up to 64) or its ARN',
    ),
  );

/** The tenant's SMS destination allow-list: replaced whole by a patch. */
export const SmsDestinationCountries = z.array(CountryCode).check(
  z.minLength(1),
  z.maxLength(50),
  z.refine((countries) => new Set(countries).size === countries.length, { message: 'Each country may appear once' }),
);

const SmsText = z.string().check(z.trim(), z.minLength(1), z.maxLength(320));
/** One text per language the customers read. */
export const SmsTexts = z.strictObject({ en: SmsText, 'zh-TW': SmsText });

export const SmsSettings = z.withMeta(
  z.strictObject({
    originationIdentity: z.described(
      z.optional(SmsOriginationIdentity),
      "The tenant's sender in AWS End User Messaging SMS, one the operator allocated to the tenant (422 not-allocated otherwise); a number allocated by its E.164 form also routes customers' replies to this tenant",
    ),
    configurationSetName: z.described(z.optional(SmsConfigurationSetName), 'Configuration set for delivery events and the opt-out list; one the operator allocated to the tenant'),
    optOutListName: z.described(
      z.optional(SmsOptOutListName),
      "The opt-out list of the origination identity (AWS's is `Default` unless the tenant made another); STOP puts the number on it",
    ),
    helpText: z.described(SmsTexts, 'Answer to HELP, per customer language'),
    optOutConfirmation: z.described(SmsTexts, 'Answer to STOP, per customer language'),
    allowedDestinationCountries: z.described(
      z.optional(SmsDestinationCountries),
      "Countries SMS may be sent to; absent: the tenant's default country only. The platform's block list of satellite and premium-rate prefixes applies whatever this says (docs/sms.md)",
    ),
  }),
  { id: 'SmsSettings', description: 'SMS sending and keywords (docs/sms.md; connecting a number: docs/operations.md, "SMS")' },
);
export type SmsSettings = z.infer<typeof SmsSettings>;

export const SmsSettingsPatch = z.described(
  z.partial(
    z.strictObject({
      originationIdentity: z.nullable(SmsOriginationIdentity),
      configurationSetName: z.nullable(SmsConfigurationSetName),
      optOutListName: z.nullable(SmsOptOutListName),
      helpText: z.partial(SmsTexts),
      optOutConfirmation: z.partial(SmsTexts),
      allowedDestinationCountries: z.nullable(SmsDestinationCountries),
    }),
  ),
  'Merged into the section; null removes originationIdentity, configurationSetName, optOutListName or allowedDestinationCountries (back to the default country only)',
);

// Sections the later capabilities fill; kept as open objects until they define them.
const ReservedSection = z.described(z.strictObject({}), 'Reserved for a later capability');

export const Settings = z.withMeta(
  z.object({
    timezone: z.string(),
    locale: Locale,
    defaultCountry: z.string(),
    businessHours: BusinessHours,
    specialDays: z.described(z.optional(SpecialDays), 'Absent only for tenants created before the calendar existed; none apply'),
    branding: Branding,
    surveys: SurveyRules,
    slaPolicy: SlaPolicy,
    webhooks: z.object({}),
    reasonCodes: z.array(ReasonCode),
    connect: ConnectSettings,
    sms: z.described(z.optional(SmsSettings), 'Absent only for tenants created before SMS existed; defaults apply'),
    analytics: z.described(z.optional(AnalyticsSettings), 'Absent only for tenants created before analytics existed; defaults apply'),
    customerValue: z.described(
      z.optional(CustomerValueSettings),
      'Absent only for tenants created before customer value existed; defaults apply',
    ),
    version: z.int(),
    updatedAt: z.string(),
  }),
  { id: 'Settings' },
);
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = z.withMeta(
  z.strictObject({
    timezone: z.optional(IanaTimezone),
    locale: z.optional(Locale),
    defaultCountry: z.optional(CountryCode),
    businessHours: z.optional(z.partial(BusinessHoursChange)),
    specialDays: z.optional(SpecialDaysChange),
    branding: z.optional(z.partial(Branding)),
    surveys: z.optional(SurveyRulesPatch),
    slaPolicy: z.optional(SlaPolicyPatch),
    webhooks: z.optional(ReservedSection),
    reasonCodes: z.optional(ReasonCodes),
    connect: z.described(z.optional(ConnectSettingsPatch), 'Merged field by field; the instance list, when given, is replaced (not merged)'),
    sms: z.optional(SmsSettingsPatch),
    analytics: z.optional(AnalyticsSettingsPatch),
    customerValue: z.optional(CustomerValueSettingsPatch),
  }),
  { id: 'SettingsPatch' },
);
export type SettingsPatch = z.infer<typeof SettingsPatch>;
