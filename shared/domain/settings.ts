import type { Settings, SettingsPatch } from '../schemas/settings';
import type { CreateTenantBody } from '../schemas/tenant';
import { defaultSlaPolicy, mergeSlaPolicy, resolveSlaPolicy } from './sla';

const weekdayHours = [{ open: '09:00', close: '18:00' }];

export function defaultSettings(tenant: CreateTenantBody, now: string): Settings {
  return {
    timezone: tenant.timezone,
    locale: tenant.locale,
    defaultCountry: tenant.defaultCountry,
    businessHours: { mon: weekdayHours, tue: weekdayHours, wed: weekdayHours, thu: weekdayHours, fri: weekdayHours, sat: [], sun: [] },
    branding: { displayName: tenant.name, colour: '#1F6FEB' },
    surveys: {},
    slaPolicy: defaultSlaPolicy,
    webhooks: {},
    reasonCodes: [],
    connect: { instanceArns: [] },
    version: 1,
    updatedAt: now,
  };
}

/** JSON merge patch of the settings document, one level deep for the nested sections. */
export function applySettingsPatch(current: Settings, patch: SettingsPatch, now: string): Settings {
  return {
    ...current,
    ...(patch.timezone !== undefined && { timezone: patch.timezone }),
    ...(patch.locale !== undefined && { locale: patch.locale }),
    ...(patch.defaultCountry !== undefined && { defaultCountry: patch.defaultCountry }),
    businessHours: { ...current.businessHours, ...patch.businessHours },
    branding: { ...current.branding, ...patch.branding },
    surveys: { ...current.surveys, ...patch.surveys },
    slaPolicy: mergeSlaPolicy(resolveSlaPolicy(current.slaPolicy), patch.slaPolicy),
    webhooks: { ...current.webhooks, ...patch.webhooks },
    // Tenants created before the taxonomy existed have none stored.
    reasonCodes: patch.reasonCodes ?? current.reasonCodes ?? [],
    connect: patch.connect ?? current.connect ?? { instanceArns: [] },
    version: current.version + 1,
    updatedAt: now,
  };
}

/**
 * The Amazon Connect instances a settings change connects and disconnects: each needs its routing
 * item claimed or released in the same transaction as the settings (tenants-repo replaceSettings).
 */
export function connectInstanceChanges(before: Settings, after: Settings): { claimed: string[]; released: string[] } {
  const old = new Set(before.connect?.instanceArns ?? []);
  const next = new Set(after.connect?.instanceArns ?? []);
  return { claimed: [...next].filter((arn) => !old.has(arn)), released: [...old].filter((arn) => !next.has(arn)) };
}
