import * as z from '../zod';
import { CountryCode, IanaTimezone, Iso8601, Locale } from './common';
import { ApiKeyWithSecret } from './api-key';

export const Plan = z.enum(['trial', 'starter', 'business', 'enterprise']);
export type Plan = z.infer<typeof Plan>;

export const CreateTenantBody = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  timezone: IanaTimezone,
  locale: Locale,
  defaultCountry: CountryCode,
  plan: z._default(Plan, 'trial'),
});
export type CreateTenantBody = z.infer<typeof CreateTenantBody>;

export const Tenant = z.withMeta(
  z.object({
    tenantId: z.string(),
    name: z.string(),
    timezone: z.string(),
    locale: Locale,
    defaultCountry: z.string(),
    plan: Plan,
    createdAt: Iso8601,
  }),
  { id: 'Tenant' },
);
export type Tenant = z.infer<typeof Tenant>;

export const CreateTenantResponse = z.object({ tenant: Tenant, apiKey: ApiKeyWithSecret });
