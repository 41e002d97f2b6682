import Box from '@cloudscape-design/components/box';
import { I18nProvider, type I18nProviderProps } from '@cloudscape-design/components/i18n';
import Spinner from '@cloudscape-design/components/spinner';
import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { browserStorage } from '../app/browser-storage';

export const locales = ['en', 'zh-TW'] as const;
export type Locale = (typeof locales)[number];

const storageKey = 'switchboard.locale';

export const isLocale = (value: unknown): value is Locale => locales.includes(value as Locale);

/** A person's own choice first (kept in this browser), then the tenant's locale, then the browser's. */
export function initialLocale(tenantLocale?: string): Locale {
  const chosen = browserStorage('localStorage').getItem(storageKey);
  if (isLocale(chosen)) return chosen;
  if (isLocale(tenantLocale)) return tenantLocale;
  return navigator.languages.some((language) => /^zh(-(TW|Hant))?/i.test(language)) ? 'zh-TW' : 'en';
}

type CloudscapeMessages = I18nProviderProps.Messages;

/** Cloudscape's own words, one language a chunk: the first page carries only the language it shows. */
const cloudscapeMessages: Record<Locale, () => Promise<{ default: CloudscapeMessages }>> = {
  en: () => import('@cloudscape-design/components/i18n/messages/all.en'),
  'zh-TW': () => import('@cloudscape-design/components/i18n/messages/all.zh-TW'),
};

const loadingMessages = new Map<Locale, Promise<CloudscapeMessages>>();

/**
 * A language's Cloudscape messages, fetched once. Should the chunk not load (the network, or a
 * deployment that replaced it), the console still shows, in our own words, without Cloudscape's
 * built-in labels: never a blank screen.
 */
export function loadCloudscapeMessages(locale: Locale): Promise<CloudscapeMessages> {
  let loading = loadingMessages.get(locale);
  if (!loading) {
    loading = cloudscapeMessages[locale]().then(
      (module) => module.default,
      (error: unknown) => {
        console.error(`Cloudscape's ${locale} messages did not load`, error);
        loadingMessages.delete(locale);
        return {};
      },
    );
    loadingMessages.set(locale, loading);
  }
  return loading;
}

interface LocaleState {
  locale: Locale;
  setLocale(locale: Locale): void;
  /** Until a person chooses, the tenant's locale decides once it is known. */
  adoptTenantLocale(tenantLocale: string | undefined): void;
}

const LocaleContext = createContext<LocaleState | undefined>(undefined);

/**
 * The page's language. A language is shown once its Cloudscape messages are here, so that a switch
 * changes every word at once; until the first language's have loaded (a small chunk, fetched while
 * the console's configuration is), the children wait.
 */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const [wanted, setWanted] = useState<Locale>(() => initialLocale());
  const [shown, setShown] = useState<{ locale: Locale; messages: CloudscapeMessages }>();
  useEffect(() => {
    let current = true;
    void loadCloudscapeMessages(wanted).then((messages) => {
      if (current) setShown({ locale: wanted, messages });
    });
    return () => {
      current = false;
    };
  }, [wanted]);
  const setLocale = useCallback((next: Locale) => {
    browserStorage('localStorage').setItem(storageKey, next);
    setWanted(next);
  }, []);
  const adoptTenantLocale = useCallback((tenantLocale: string | undefined) => {
    if (!browserStorage('localStorage').getItem(storageKey) && isLocale(tenantLocale)) setWanted(tenantLocale);
  }, []);
  const locale = shown?.locale ?? wanted;
  const value = useMemo(() => ({ locale, setLocale, adoptTenantLocale }), [locale, setLocale, adoptTenantLocale]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  if (!shown) {
    return (
      <Box padding="xxl" textAlign="center">
        <Spinner size="large" />
      </Box>
    );
  }
  return (
    <LocaleContext.Provider value={value}>
      <I18nProvider locale={shown.locale} messages={[shown.messages]}>
        {children}
      </I18nProvider>
    </LocaleContext.Provider>
  );
}

export function useLocale(): LocaleState {
  const state = useContext(LocaleContext);
  if (!state) throw new Error('useLocale outside LocaleProvider');
  return state;
}

/**
 * A module's messages in both languages: the English object is the source of truth, and the
 * Traditional Chinese one must have every key (the type check says which is missing).
 * `{name}` in a message is replaced by the variable of that name.
 */
export type Messages<Keys extends string> = Record<Locale, Record<Keys, string>>;

export function defineMessages<const English extends Record<string, string>>(
  en: English,
  zhTw: Record<keyof English, string>,
): Messages<Extract<keyof English, string>> {
  return { en, 'zh-TW': zhTw } as Messages<Extract<keyof English, string>>;
}

export type Translate<Keys extends string> = (key: Keys, variables?: Record<string, string | number>) => string;

export function translate<Keys extends string>(messages: Messages<Keys>, locale: Locale): Translate<Keys> {
  return (key, variables) => {
    const text = messages[locale][key];
    if (!variables) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in variables ? String(variables[name]) : whole));
  };
}

/** `const t = useMessages(messages); t('title')` in the page's language. */
export function useMessages<Keys extends string>(messages: Messages<Keys>): Translate<Keys> {
  const { locale } = useLocale();
  return useMemo(() => translate(messages, locale), [messages, locale]);
}

/** Numbers and dates in the page's language. */
export function useFormat() {
  const { locale } = useLocale();
  return useMemo(
    () => ({
      number: (value: number, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, options).format(value),
      percent: (ratio: number, digits = 1) =>
        new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits }).format(ratio),
      dateTime: (iso: string, timeZone?: string) =>
        new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone && { timeZone }) }).format(new Date(iso)),
      date: (iso: string, timeZone?: string) =>
        new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(timeZone && { timeZone }) }).format(new Date(iso)),
    }),
    [locale],
  );
}
