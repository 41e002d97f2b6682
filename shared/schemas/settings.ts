import * as z from 'zod';
import { CountryCode, IanaTimezone, Locale } from './common';

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
    slaPolicy: z.object({}),
    webhooks: z.object({}),
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
    slaPolicy: ReservedSection.optional(),
    webhooks: ReservedSection.optional(),
  })
  .meta({ id: 'SettingsPatch' });
export type SettingsPatch = z.infer<typeof SettingsPatch>;
