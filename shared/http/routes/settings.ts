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
    responses: { 200: { description: 'The updated settings', schema: Settings } },
  },
]);
