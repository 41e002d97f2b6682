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
    responses: { 200: { description: 'Settings', schema: Settings } },
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
    responses: {
      200: { description: 'The updated settings', schema: Settings },
      409: { description: 'Changed by another request at the same time; read them and try again' },
      422: { description: 'not-allocated: names a resource the operator did not allocate to the tenant, or turns SMS surveys on without a sender; invalid-survey-rules' },
    },
  },
]);
