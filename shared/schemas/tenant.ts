import * as z from 'zod';
import { CountryCode, IanaTimezone, Iso8601, Locale } from './common';
import { ApiKeyWithSecret } from './api-key';

export const Plan = z.enum(['trial', 'starter', 'business', 'enterprise']);
export type Plan = z.infer<typeof Plan>;

export const CreateTenantBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  timezone: IanaTimezone,
  locale: Locale,
  defaultCountry: CountryCode,
  plan: Plan.default('trial'),
});
export type CreateTenantBody = z.infer<typeof CreateTenantBody>;

export const Tenant = z
  .object({
    tenantId: z.string(),
    name: z.string(),
    timezone: z.string(),
    locale: Locale,
    defaultCountry: z.string(),
    plan: Plan,
    createdAt: Iso8601,
  })
  .meta({ id: 'Tenant' });
export type Tenant = z.infer<typeof Tenant>;

export const CreateTenantResponse = z.object({ tenant: Tenant, apiKey: ApiKeyWithSecret });
