import { Settings, SettingsPatch } from '../../schemas/settings';
import { applySettingsPatch, defaultSettings } from '../../domain/settings';
import { defineRoutes, adminAccess, readonlyAccess } from '../route-types';

const tenantExample = { name: 'Formosa Telecom Care', timezone: 'Asia/Taipei', locale: 'zh-TW', defaultCountry: 'TW', plan: 'business' } as const;
const settingsExample = defaultSettings(tenantExample, '2026-03-02T01:15:00.000Z', 'svt_01JFF5G6H7J8K9M0N1P2Q3R4S5');
const settingsPatchExample: SettingsPatch = {
  businessHours: { sat: [{ open: '10:00', close: '16:00' }] },
  branding: { colour: '#0A3D62' },
  reasonCodes: [
    { code: 'billing.dispute', label: { en: 'Billing dispute', 'zh-TW': '帳單爭議' }, active: true },
    { code: 'billing.refund', label: { en: 'Refund', 'zh-TW': '退款' }, active: true },
  ],
};

/** The tenant's settings. */
export const settingsRoutes = defineRoutes([
  {
    operationId: 'getSettings',
    method: 'GET',
    path: '/v1/settings',
    function: 'settings',
    access: readonlyAccess,
    tag: 'Settings',
    summary: "The tenant's settings",
    description:
      'The tenant\'s settings: time zone, locale, default country, business hours, branding, contact reason codes, SLA policy, survey rules, SMS, Amazon Connect, ' +
      'analytics and customer-value assumptions. The ETag header carries their version: send it as If-Match with a change',
    examples: { responses: { 200: settingsExample } },
    problems: ['not-found'],
    responses: { 200: { description: 'Settings', schema: Settings, headers: ['ETag'] } },
  },
  {
    operationId: 'updateSettings',
    method: 'PATCH',
    path: '/v1/settings',
    function: 'settings',
    access: adminAccess,
    tag: 'Settings',
    summary: 'Change settings (merge patch; unknown fields are rejected)',
    request: { body: SettingsPatch },
    description:
      'Changes settings as a merge patch: sections are merged field by field (reasonCodes, and connect.instanceArns when given, are replaced whole); unknown fields answer 400. If-Match is optional: ' +
      'with it, settings changed since answer 412. SMS senders, configuration sets, opt-out lists and Amazon Connect instances must be ones the operator allocated to the tenant ' +
      '(422 not-allocated naming each field), and SMS surveys need an allocated sender',
    examples: { request: { body: settingsPatchExample }, responses: { 200: applySettingsPatch(settingsExample, settingsPatchExample, '2026-03-12T03:20:00.000Z') } },
    problems: ['not-found', 'conflict', 'not-allocated', 'invalid-survey-rules'],
    acceptsIfMatch: true,
    responses: {
      200: { description: 'The updated settings', schema: Settings, headers: ['ETag'] },
      409: { description: 'Changed by another request at the same time; read them and try again' },
      422: { description: 'not-allocated: names a resource the operator did not allocate to the tenant, or turns SMS surveys on without a sender; invalid-survey-rules' },
    },
  },
]);
