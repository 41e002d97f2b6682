import * as z from '../zod';
import { Iso8601 } from './common';
import { ApiKeyWithSecret } from './api-key';
import { ConnectInstanceArn, SmsConfigurationSetName, SmsOptOutListName, SmsOriginationIdentity } from './settings';
import { Plan, Tenant } from './tenant';

/** What the operator allocates to a tenant. */
export const AllocationKind = z.enum(['sms-origination-identity', 'sms-configuration-set', 'sms-opt-out-list', 'connect-account', 'connect-instance', 'mail-identity']);
export type AllocationKind = z.infer<typeof AllocationKind>;

/** An Amazon SES identity verified in the deployment's account: a domain (mail.acme.tw) or one address. */
export const MailIdentity = z.withMeta(
  z.string().check(
    z.trim(),
    z.toLowerCase(),
    z.regex(/^(?:[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'Must be a domain such as mail.acme.tw or an address such as care@acme.tw'),
  ),
  { maxLength: 254 },
);

const AwsAccountId = z.withMeta(z.string().check(z.trim(), z.regex(/^\d{12}$/, 'Must be a 12-digit AWS account id')), { maxLength: 12 });

/** One resource, by kind: the id is checked in the form its kind takes. */
export const ResourceRef = z.withMeta(
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('sms-origination-identity'), id: SmsOriginationIdentity }),
    z.strictObject({ kind: z.literal('sms-configuration-set'), id: SmsConfigurationSetName }),
    z.strictObject({ kind: z.literal('sms-opt-out-list'), id: SmsOptOutListName }),
    z.strictObject({ kind: z.literal('connect-account'), id: AwsAccountId }),
    z.strictObject({ kind: z.literal('connect-instance'), id: ConnectInstanceArn }),
    z.strictObject({ kind: z.literal('mail-identity'), id: MailIdentity }),
  ]),
  {
    id: 'ResourceRef',
    description:
      'An SMS origination identity (E.164 number, phone-…/pool- id or ARN, sender ID ARN), configuration set or opt-out list (name or ARN), an AWS account id, an Amazon Connect instance ARN, or an Amazon SES identity (domain or address) that case replies are mailed from',
  },
);
export type ResourceRef = z.infer<typeof ResourceRef>;

export const Allocations = z.withMeta(
  z.object({
    smsOriginationIdentities: z.array(z.string()),
    smsConfigurationSets: z.array(z.string()),
    smsOptOutLists: z.array(z.string()),
    connectAccounts: z.array(z.string()),
    connectInstances: z.array(z.string()),
    mailIdentities: z.described(z._default(z.array(z.string()), []), 'Amazon SES identities (domains or addresses) replies from cases are mailed from'),
  }),
  { id: 'Allocations', description: 'What the operator gave the tenant, each resource by its canonical name (ARNs of SMS resources by their id or name)' },
);
export type Allocations = z.infer<typeof Allocations>;

/** The tenant as its own people and keys see it (GET /v1/tenant): its profile and what the operator allocated to it. */
export const OwnTenant = z.withMeta(
  z.extend(Tenant, {
    allocations: z.described(Allocations, 'The SMS numbers, configuration sets, opt-out lists and Amazon Connect accounts and instances the operator allocated to this tenant: the only ones its settings may name'),
  }),
  { id: 'OwnTenant' },
);
export type OwnTenant = z.infer<typeof OwnTenant>;

export const TenantState = z.enum(['active', 'suspended']);
export type TenantState = z.infer<typeof TenantState>;

export const Suspension = z.object({
  reason: z.string(),
  suspendedAt: Iso8601,
});

export const OperatorTenant = z.withMeta(
  z.object({
    tenantId: z.string(),
    name: z.string(),
    plan: Plan,
    state: TenantState,
    suspension: z.described(z.optional(Suspension), 'While suspended: why and since when'),
    allocations: Allocations,
    createdAt: Iso8601,
    version: z.described(z.int(), 'Changes with every operator change of the tenant'),
  }),
  { id: 'OperatorTenant' },
);
export type OperatorTenant = z.infer<typeof OperatorTenant>;

export const OperatorTenantParams = z.object({ tenantId: z.string().check(z.maxLength(64)) });

export const AllocateBody = z.withMeta(z.strictObject({ resource: ResourceRef }), { id: 'AllocateBody' });
export const ReleaseBody = z.withMeta(z.strictObject({ resource: ResourceRef }), { id: 'ReleaseBody' });

export const SuspendBody = z.withMeta(
  z.strictObject({ reason: z.described(z.string().check(z.trim(), z.minLength(1), z.maxLength(500)), 'Why, for the operator and the tenant (no personal data)') }),
  { id: 'SuspendBody' },
);

export const IssueAdminKeyBody = z.withMeta(
  z.strictObject({ name: z._default(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)), 'Admin key issued by the operator') }),
  { id: 'IssueAdminKeyBody' },
);
export const IssuedAdminKey = z.object({ tenantId: z.string(), apiKey: ApiKeyWithSecret });
