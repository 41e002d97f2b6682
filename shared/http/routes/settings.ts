import { Settings, SettingsPatch } from '../../schemas/settings';
import { defineRoutes, adminAccess, readonlyAccess } from '../route-types';

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
    problems: ['not-found', 'conflict', 'not-allocated', 'invalid-survey-rules'],
    acceptsIfMatch: true,
    responses: {
      200: { description: 'The updated settings', schema: Settings, headers: ['ETag'] },
      409: { description: 'Changed by another request at the same time; read them and try again' },
      422: { description: 'not-allocated: names a resource the operator did not allocate to the tenant, or turns SMS surveys on without a sender; invalid-survey-rules' },
    },
  },
]);
