import type { Settings, SettingsPatch } from '../schemas/settings';
import type { CreateTenantBody } from '../schemas/tenant';

const weekdayHours = [{ open: '09:00', close: '18:00' }];

export function defaultSettings(tenant: CreateTenantBody, now: string): Settings {
  return {
    timezone: tenant.timezone,
    locale: tenant.locale,
    defaultCountry: tenant.defaultCountry,
    businessHours: { mon: weekdayHours, tue: weekdayHours, wed: weekdayHours, thu: weekdayHours, fri: weekdayHours, sat: [], sun: [] },
    branding: { displayName: tenant.name, colour: '#1F6FEB' },
    surveys: {},
    slaPolicy: {},
    webhooks: {},
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
    slaPolicy: { ...current.slaPolicy, ...patch.slaPolicy },
    webhooks: { ...current.webhooks, ...patch.webhooks },
    version: current.version + 1,
    updatedAt: now,
  };
}
