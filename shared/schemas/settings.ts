import * as z from 'zod';
import { CountryCode, IanaTimezone, Locale } from './common';
import { SlaPolicy, SlaPolicyPatch } from './case';

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

// Sections the later capabilities fill; kept as open objects until they define them.
const ReservedSection = z.strictObject({}).describe('Reserved for a later capability');

export const Settings = z
  .object({
    timezone: z.string(),
    locale: Locale,
    defaultCountry: z.string(),
    businessHours: BusinessHours,
    branding: Branding,
    surveys: z.object({}),
    slaPolicy: SlaPolicy,
    webhooks: z.object({}),
    reasonCodes: z.array(ReasonCode),
    connect: ConnectSettings,
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
    surveys: ReservedSection.optional(),
    slaPolicy: SlaPolicyPatch.optional(),
    webhooks: ReservedSection.optional(),
    reasonCodes: ReasonCodes.optional(),
    connect: ConnectSettings.optional().describe('Replaces the whole section (the instance list is replaced, not merged)'),
  })
  .meta({ id: 'SettingsPatch' });
export type SettingsPatch = z.infer<typeof SettingsPatch>;
