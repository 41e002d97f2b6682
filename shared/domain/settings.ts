import type { ConnectSettings, Settings, SettingsPatch, SmsSettings } from '../schemas/settings';
import type { AnalyticsSettings } from '../schemas/analytics';
import type { CreateTenantBody } from '../schemas/tenant';
import { defaultSlaPolicy, mergeSlaPolicy, resolveSlaPolicy } from './sla';
import { defaultCustomerValueSettings, mergeCustomerValueSettings, resolveCustomerValueSettings } from './customer-value';
import { defaultSurveyRules, mergeSurveyRules, resolveSurveyRules } from './surveys/rules';

const weekdayHours = [{ open: '09:00', close: '18:00' }];

/** `surveyTemplateId`: the default survey template created with the tenant, which the survey rules use. */
export function defaultSettings(tenant: CreateTenantBody, now: string, surveyTemplateId: string | null = null): Settings {
  return {
    timezone: tenant.timezone,
    locale: tenant.locale,
    defaultCountry: tenant.defaultCountry,
    businessHours: { mon: weekdayHours, tue: weekdayHours, wed: weekdayHours, thu: weekdayHours, fri: weekdayHours, sat: [], sun: [] },
    specialDays: [],
    branding: { displayName: tenant.name, colour: '#1F6FEB' },
    surveys: defaultSurveyRules(surveyTemplateId),
    slaPolicy: defaultSlaPolicy,
    webhooks: {},
    reasonCodes: [],
    connect: { instanceArns: [] },
    sms: defaultSmsSettings(tenant.name),
    analytics: defaultAnalyticsSettings,
    customerValue: defaultCustomerValueSettings(tenant.defaultCountry),
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
    // A list, replaced whole like reasonCodes; kept in date order so a read shows the year as it runs.
    specialDays: patch.specialDays ? [...patch.specialDays].sort((a, b) => a.date.localeCompare(b.date)) : (current.specialDays ?? []),
    branding: { ...current.branding, ...patch.branding },
    surveys: mergeSurveyRules(resolveSurveyRules(current.surveys), patch.surveys),
    slaPolicy: mergeSlaPolicy(resolveSlaPolicy(current.slaPolicy), patch.slaPolicy),
    webhooks: { ...current.webhooks, ...patch.webhooks },
    // Tenants created before the taxonomy existed have none stored.
    reasonCodes: patch.reasonCodes ?? current.reasonCodes ?? [],
    connect: mergeConnectSettings(current.connect ?? { instanceArns: [] }, patch.connect),
    sms: mergeSmsSettings(resolveSmsSettings(current), patch.sms),
    analytics: mergeAnalyticsSettings(resolveAnalyticsSettings(current), patch.analytics),
    customerValue: mergeCustomerValueSettings(resolveCustomerValueSettings(current), patch.customerValue),
    version: current.version + 1,
    updatedAt: now,
  };
}

function mergeConnectSettings(current: ConnectSettings, patch: SettingsPatch['connect']): ConnectSettings {
  if (!patch) return current;
  const accessUrl = patch.accessUrl === null ? undefined : (patch.accessUrl ?? current.accessUrl);
  return { instanceArns: patch.instanceArns ?? current.instanceArns, ...(accessUrl && { accessUrl }) };
}

/**
 * The Amazon Connect instances a settings change starts and stops listing: each registered
 * instance's claim records whether its events are logged (tenants-repo replaceSettings).
 */
export function connectInstanceChanges(before: Settings, after: Settings): { listed: string[]; unlisted: string[] } {
  const old = new Set(before.connect?.instanceArns ?? []);
  const next = new Set(after.connect?.instanceArns ?? []);
  return { listed: [...next].filter((arn) => !old.has(arn)), unlisted: [...old].filter((arn) => !next.has(arn)) };
}

/** What a tenant's customers read when they text HELP or STOP, until the tenant words it itself. */
export function defaultSmsSettings(displayName: string): SmsSettings {
  return {
    helpText: {
      en: `${displayName}: answer our survey questions with a number or yes/no. Reply STOP to get no more SMS from us.`,
      'zh-TW': `${displayName}:請以數字或「是/否」回覆問卷題目。回覆「退訂」即不再收到我們的簡訊。`,
    },
    optOutConfirmation: {
      en: `${displayName}: you are unsubscribed and will get no more SMS from us.`,
      'zh-TW': `${displayName}:您已退訂,將不再收到我們的簡訊。`,
    },
  };
}

/** The SMS section, with defaults for tenants created before it existed. */
export const resolveSmsSettings = (settings: Pick<Settings, 'sms' | 'branding'>): SmsSettings =>
  settings.sms ?? defaultSmsSettings(settings.branding.displayName);

function mergeSmsSettings(current: SmsSettings, patch: SettingsPatch['sms']): SmsSettings {
  if (!patch) return current;
  const next: SmsSettings = {
    ...current,
    helpText: { ...current.helpText, ...patch.helpText },
    optOutConfirmation: { ...current.optOutConfirmation, ...patch.optOutConfirmation },
  };
  for (const field of ['originationIdentity', 'configurationSetName', 'optOutListName'] as const) {
    const value = patch[field];
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  if (patch.allowedDestinationCountries === null) delete next.allowedDestinationCountries;
  else if (patch.allowedDestinationCountries !== undefined) next.allowedDestinationCountries = patch.allowedDestinationCountries;
  return next;
}

/** 80 % of queued contacts answered within 20 s, the trade's usual goal. */
export const defaultAnalyticsSettings: AnalyticsSettings = {
  serviceLevel: { targetPercent: 80, thresholdSeconds: 20 },
  staffing: { maxOccupancyPercent: 85, shrinkagePercent: 30, forecastWeeks: 8 },
};

/** The analytics section, with defaults for tenants created before it existed. */
export const resolveAnalyticsSettings = (settings: Pick<Settings, 'analytics'>): AnalyticsSettings =>
  settings.analytics ?? defaultAnalyticsSettings;

function mergeAnalyticsSettings(current: AnalyticsSettings, patch: SettingsPatch['analytics']): AnalyticsSettings {
  if (!patch) return current;
  return {
    serviceLevel: { ...current.serviceLevel, ...patch.serviceLevel },
    staffing: { ...current.staffing, ...patch.staffing },
  };
}
