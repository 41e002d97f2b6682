import * as z from 'zod';
import { CountryCode, IanaTimezone, Locale } from './common';
import { SlaPolicy, SlaPolicyPatch } from './case';
import { SurveyRules, SurveyRulesPatch } from './survey-template';
import { AnalyticsSettings, AnalyticsSettingsPatch } from './analytics';
import { CustomerValueSettings, CustomerValueSettingsPatch } from './customer-value';

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Must be HH:MM, 24-hour');

const OpeningHours = z
  .strictObject({ open: TimeOfDay, close: TimeOfDay })
  .refine((hours) => hours.open < hours.close, { message: 'open must be before close', path: ['close'] });

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

export const BusinessHours = z
  .strictObject({
    mon: z.array(OpeningHours).max(4),
    tue: z.array(OpeningHours).max(4),
    wed: z.array(OpeningHours).max(4),
    thu: z.array(OpeningHours).max(4),
    fri: z.array(OpeningHours).max(4),
    sat: z.array(OpeningHours).max(4),
    sun: z.array(OpeningHours).max(4),
  })
  .describe('Opening intervals per weekday in the tenant time zone; an empty list means closed');

export const Branding = z.strictObject({
  displayName: z.string().trim().min(1).max(100),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Must be a #RRGGBB colour'),
});

/**
 * One entry of the tenant's contact reason taxonomy. A contact's reasonCode must name an active
 * entry; an inactive one stays on the contacts that already carry it, for their history.
 */
export const ReasonCodeValue = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'Letters, digits, _ . - (up to 64), starting with a letter or digit');

export const ReasonCode = z
  .strictObject({
    code: ReasonCodeValue,
    label: z
      .strictObject({ en: z.string().trim().min(1).max(100), 'zh-TW': z.string().trim().min(1).max(100) })
      .partial()
      .refine((label) => label.en || label['zh-TW'], { message: 'Give a label in en or zh-TW' }),
    active: z.boolean().default(true),
  })
  .meta({ id: 'ReasonCode' });
export type ReasonCode = z.infer<typeof ReasonCode>;

/** The whole taxonomy is replaced by a patch (a JSON merge patch replaces arrays). */
export const ReasonCodes = z
  .array(ReasonCode)
  .max(500)
  .refine((codes) => new Set(codes.map((entry) => entry.code)).size === codes.length, {
    message: 'Each code may appear once',
  })
  .describe('Contact reason codes; empty means no contact may carry a reasonCode until an admin defines them');

/** An Amazon Connect instance's ARN, lowercased: the form Connect's events name it in. */
export const ConnectInstanceArn = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^arn:aws(-[a-z]+)*:connect:[a-z]{2}(-[a-z]+)+-\d:\d{12}:instance\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'Must be an Amazon Connect instance ARN: arn:aws:connect:<region>:<account>:instance/<instance id>',
  );

export const ConnectSettings = z
  .strictObject({
    instanceArns: z
      .array(ConnectInstanceArn)
      .max(10)
      .refine((arns) => new Set(arns).size === arns.length, { message: 'Each instance may appear once' })
      .describe("The Amazon Connect instances whose contact events are logged as this tenant's contacts; an instance belongs to one tenant"),
  })
  .meta({ id: 'ConnectSettings', description: 'Amazon Connect ingestion (docs/operations.md, "Amazon Connect")' });
export type ConnectSettings = z.infer<typeof ConnectSettings>;

/** A number in E.164: `+` and up to 15 digits. */
export const E164 = z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'Must be a phone number in E.164, such as +886287654321');

const smsArnPrefix = 'arn:aws(-[a-z]+)*:sms-voice:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:';
/**
 * What SendTextMessage accepts as OriginationIdentity for a two-way-capable sender: the phone
 * number (E.164), its ID or ARN, or a pool's ID or ARN. Only an E.164 number routes replies to the
 * tenant: AWS names the number a reply was sent to, never its ID or pool (docs/sms.md).
 */
export const SmsOriginationIdentity = z
  .string()
  .trim()
  .regex(
    new RegExp(
      `^(\\+[1-9]\\d{6,14}|phone-[0-9a-f]{32}|pool-[0-9a-f]{32}|${smsArnPrefix}(phone-number/phone|pool/pool)-[0-9a-f]{32})$`,
    ),
    'Must be a phone number in E.164 (+886287654321), a phone number ID (phone-…) or pool ID (pool-…), or the ARN of either',
  );

export const SmsConfigurationSetName = z
  .string()
  .trim()
  .regex(
    new RegExp(`^([A-Za-z0-9_-]{1,64}|${smsArnPrefix}configuration-set/[A-Za-z0-9_-]{1,64})$`),
    'Must be a configuration set name (letters, digits, _ and -, up to 64) or its ARN',
  );

export const SmsOptOutListName = z
  .string()
  .trim()
  .regex(
    new RegExp(`^([A-Za-z0-9_-]{1,64}|${smsArnPrefix}opt-out-list/[A-Za-z0-9_-]{1,64})$`),
    'Must be an opt-out list name (letters, digits, _ and -, up to 64) or its ARN',
  );

const SmsText = z.string().trim().min(1).max(320);
/** One text per language the customers read. */
export const SmsTexts = z.strictObject({ en: SmsText, 'zh-TW': SmsText });

export const SmsSettings = z
  .strictObject({
    originationIdentity: SmsOriginationIdentity.optional().describe(
      "The tenant's sender in AWS End User Messaging SMS; an E.164 number also routes customers' replies to this tenant (a number belongs to one tenant)",
    ),
    configurationSetName: SmsConfigurationSetName.optional().describe('Configuration set for delivery events and the opt-out list'),
    optOutListName: SmsOptOutListName.optional().describe(
      "The opt-out list of the origination identity (AWS's is `Default` unless the tenant made another); STOP puts the number on it",
    ),
    helpText: SmsTexts.describe('Answer to HELP, per customer language'),
    optOutConfirmation: SmsTexts.describe('Answer to STOP, per customer language'),
  })
  .meta({ id: 'SmsSettings', description: 'SMS sending and keywords (docs/sms.md; connecting a number: docs/operations.md, "SMS")' });
export type SmsSettings = z.infer<typeof SmsSettings>;

export const SmsSettingsPatch = z
  .strictObject({
    originationIdentity: SmsOriginationIdentity.nullable(),
    configurationSetName: SmsConfigurationSetName.nullable(),
    optOutListName: SmsOptOutListName.nullable(),
    helpText: SmsTexts.partial(),
    optOutConfirmation: SmsTexts.partial(),
  })
  .partial()
  .describe('Merged into the section; null removes originationIdentity, configurationSetName or optOutListName');

// Sections the later capabilities fill; kept as open objects until they define them.
const ReservedSection = z.strictObject({}).describe('Reserved for a later capability');

export const Settings = z
  .object({
    timezone: z.string(),
    locale: Locale,
    defaultCountry: z.string(),
    businessHours: BusinessHours,
    branding: Branding,
    surveys: SurveyRules,
    slaPolicy: SlaPolicy,
    webhooks: z.object({}),
    reasonCodes: z.array(ReasonCode),
    connect: ConnectSettings,
    sms: SmsSettings.optional().describe('Absent only for tenants created before SMS existed; defaults apply'),
    analytics: AnalyticsSettings.optional().describe('Absent only for tenants created before analytics existed; defaults apply'),
    customerValue: CustomerValueSettings.optional().describe('Absent only for tenants created before customer value existed; defaults apply'),
    version: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Settings' });
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = z
  .strictObject({
    timezone: IanaTimezone.optional(),
    locale: Locale.optional(),
    defaultCountry: CountryCode.optional(),
    businessHours: BusinessHours.partial().optional(),
    branding: Branding.partial().optional(),
    surveys: SurveyRulesPatch.optional(),
    slaPolicy: SlaPolicyPatch.optional(),
    webhooks: ReservedSection.optional(),
    reasonCodes: ReasonCodes.optional(),
    connect: ConnectSettings.optional().describe('Replaces the whole section (the instance list is replaced, not merged)'),
    sms: SmsSettingsPatch.optional(),
    analytics: AnalyticsSettingsPatch.optional(),
    customerValue: CustomerValueSettingsPatch.optional(),
  })
  .meta({ id: 'SettingsPatch' });
export type SettingsPatch = z.infer<typeof SettingsPatch>;
