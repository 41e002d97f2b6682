import type { ComponentType } from 'react';
import type { Locale } from '../i18n/locale';
import type { Scope } from './scopes';

export type NavigationSection = 'insights' | 'work' | 'configuration' | 'administration';

export interface ConsolePage {
  path: string;
  title: Record<Locale, string>;
  section: NavigationSection;
  /** The weakest scope that reaches the page's main operations; the navigation hides it from others. */
  scope: Scope;
  /** Loaded when first opened, so the first page carries only its own code. */
  load: () => Promise<{ default: ComponentType }>;
  /** Reached by links from other pages (it needs an id in its path), not listed in the navigation. */
  hidden?: true;
}

/** Every page behind sign-in, in navigation order. */
export const consolePages: readonly ConsolePage[] = [
  {
    path: '/',
    title: { en: 'Dashboard', 'zh-TW': '儀表板' },
    section: 'insights',
    scope: 'readonly',
    load: () => import('../pages/dashboard/page'),
  },
  {
    path: '/staffing',
    title: { en: 'Staffing', 'zh-TW': '人力規劃' },
    section: 'insights',
    scope: 'readonly',
    load: () => import('../pages/staffing/page'),
  },
  {
    path: '/desk',
    title: { en: 'My work', 'zh-TW': '我的工作' },
    section: 'work',
    scope: 'agent',
    load: () => import('../pages/my-work/page'),
  },
  {
    path: '/desk/cases',
    title: { en: 'Case', 'zh-TW': '案件' },
    section: 'work',
    scope: 'readonly',
    hidden: true,
    load: () => import('../pages/case/page'),
  },
  {
    path: '/settings',
    title: { en: 'Settings', 'zh-TW': '設定' },
    section: 'configuration',
    // Settings are an admin's (issue 13: a supervisor reaches no keys, settings or people), though the API lets any scope read them.
    scope: 'admin',
    load: () => import('../pages/settings/page'),
  },
  {
    path: '/survey-templates',
    title: { en: 'Survey templates', 'zh-TW': '問卷範本' },
    section: 'configuration',
    scope: 'readonly',
    load: () => import('../pages/survey-templates/page'),
  },
  {
    path: '/survey-results',
    title: { en: 'Survey results', 'zh-TW': '問卷結果' },
    section: 'insights',
    scope: 'readonly',
    load: () => import('../pages/survey-results/page'),
  },
  {
    path: '/cases',
    title: { en: 'Cases overview', 'zh-TW': '案件總覽' },
    section: 'insights',
    scope: 'readonly',
    load: () => import('../pages/cases-overview/page'),
  },
  {
    path: '/customer-value',
    title: { en: 'Customer value', 'zh-TW': '顧客價值' },
    section: 'insights',
    scope: 'readonly',
    load: () => import('../pages/customer-value/page'),
  },
  {
    path: '/desk/canned-replies',
    title: { en: 'Canned replies', 'zh-TW': '常用回覆' },
    section: 'work',
    // Agents read them (and use them in a case's reply panel); supervisors and admins change them.
    scope: 'agent',
    load: () => import('../pages/canned-replies/page'),
  },
  {
    path: '/people',
    title: { en: 'People', 'zh-TW': '人員' },
    section: 'administration',
    scope: 'admin',
    load: () => import('../pages/people/page'),
  },
  {
    path: '/usage',
    title: { en: 'Usage', 'zh-TW': '用量' },
    section: 'insights',
    scope: 'readonly',
    load: () => import('../pages/usage/page'),
  },
  {
    path: '/exports',
    title: { en: 'Exports', 'zh-TW': '匯出' },
    section: 'insights',
    scope: 'readonly',
    load: () => import('../pages/exports/page'),
  },
  {
    path: '/api-keys',
    title: { en: 'API keys', 'zh-TW': 'API 金鑰' },
    section: 'administration',
    scope: 'admin',
    load: () => import('../pages/api-keys/page'),
  },
  {
    path: '/webhooks',
    title: { en: 'Webhooks', 'zh-TW': 'Webhook' },
    section: 'administration',
    scope: 'admin',
    load: () => import('../pages/webhooks/page'),
  },
  {
    path: '/desk/customers',
    title: { en: 'Customers', 'zh-TW': '顧客' },
    section: 'work',
    scope: 'readonly',
    load: () => import('../pages/customer-search/page'),
  },
  {
    path: '/desk/pop',
    title: { en: 'Screen pop', 'zh-TW': '來電彈出' },
    section: 'work',
    scope: 'readonly',
    load: () => import('../pages/customer/page'),
  },
  {
    // The desk inside Amazon Connect's agent workspace: the one page Connect may frame (shared/http/console-security.ts).
    path: '/desk/workspace-app',
    title: { en: 'Agent workspace app', 'zh-TW': '客服工作區應用程式' },
    section: 'work',
    scope: 'readonly',
    hidden: true,
    load: () => import('../pages/workspace-app/page'),
  },
  {
    path: '/desk/contacts/new',
    title: { en: 'Log a contact', 'zh-TW': '記錄聯絡' },
    section: 'work',
    scope: 'agent',
    load: () => import('../pages/contact-log/page'),
  },
  {
    path: '/audit-log',
    title: { en: 'Audit log', 'zh-TW': '稽核紀錄' },
    section: 'administration',
    scope: 'admin',
    load: () => import('../pages/audit-log/page'),
  },
];

/** Pages that need no sign-in (a business signing up). */
export const publicPages: readonly Omit<ConsolePage, 'section' | 'scope'>[] = [
  { path: '/signup', title: { en: 'Start a trial', 'zh-TW': '開始試用' }, load: () => import('../pages/signup/start-page') },
  { path: '/signup/verify', title: { en: 'Choose your password', 'zh-TW': '設定密碼' }, load: () => import('../pages/signup/verify-page') },
];

/** The page of `path`: the one registered for it, else the one of its longest registered prefix (`/desk/cases/…` before `/desk`). */
export const findPage = <Page extends { path: string }>(pages: readonly Page[], path: string): Page | undefined =>
  pages.find((page) => page.path === path) ??
  pages
    .filter((page) => page.path !== '/' && path.startsWith(page.path + '/'))
    .sort((a, b) => b.path.length - a.path.length)[0];
