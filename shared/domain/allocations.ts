import type { Settings } from '../schemas/settings';
import type { Allocations, AllocationKind, ResourceRef } from '../schemas/operator';
import type { FieldError } from './errors';

/**
 * What the operator gave a tenant: the SMS origination identities, configuration sets and opt-out
 * lists it may send with, and the AWS accounts and Amazon Connect instances whose events it
 * receives. A tenant's settings choose among them; nothing else. Pure: the handlers read the
 * stored allocation and settings and pass them in.
 */

export const emptyAllocations = (): Allocations => ({
  smsOriginationIdentities: [],
  smsConfigurationSets: [],
  smsOptOutLists: [],
  connectAccounts: [],
  connectInstances: [],
  mailIdentities: [],
});

/** The allocation list each kind of resource is kept in. */
export const allocationList = {
  'sms-origination-identity': 'smsOriginationIdentities',
  'sms-configuration-set': 'smsConfigurationSets',
  'sms-opt-out-list': 'smsOptOutLists',
  'connect-account': 'connectAccounts',
  'connect-instance': 'connectInstances',
  'mail-identity': 'mailIdentities',
} as const satisfies Record<AllocationKind, keyof Allocations>;

/** Most resources of one kind a tenant holds: keeps the tenant's item small. */
export const maxAllocationsPerKind = 20;

/**
 * One name per resource, whichever form names it: an ARN of a phone number, pool, configuration set
 * or opt-out list is the same resource as its id or name (`phone-…`, `pool-…`, `surveys`); a sender
 * ID is only named by its ARN, as `sender-id/<id>/<country>`; Connect instance ARNs are lowercase.
 * Claims and the settings check compare these names, so one resource cannot be claimed twice under
 * two of its names. (A number's E.164 form and its `phone-…` id cannot be matched without asking AWS:
 * the operator allocates a number by one of them; the resource tag AWS checks holds the rest, see
 * docs/operations.md.)
 */
export function canonicalResourceId(kind: AllocationKind, id: string): string {
  const trimmed = id.trim();
  switch (kind) {
    case 'sms-origination-identity': {
      const arn = /^arn:[^:]+:sms-voice:[^:]+:\d{12}:(phone-number|pool|sender-id)\/(.+)$/.exec(trimmed);
      if (!arn) return trimmed;
      return arn[1] === 'sender-id' ? `sender-id/${arn[2]}` : arn[2]!;
    }
    case 'sms-configuration-set':
    case 'sms-opt-out-list': {
      const arn = /^arn:[^:]+:sms-voice:[^:]+:\d{12}:(configuration-set|opt-out-list)\/(.+)$/.exec(trimmed);
      return arn ? arn[2]! : trimmed;
    }
    case 'connect-instance':
    case 'mail-identity':
      return trimmed.toLowerCase();
    case 'connect-account':
      return trimmed;
  }
}

/** The AWS account an Amazon Connect instance ARN (canonical) lives in. */
export const connectInstanceAccount = (instanceArn: string): string | undefined => /^arn:[^:]+:connect:[^:]+:(\d{12}):/.exec(instanceArn)?.[1];

export const isAllocated = (allocations: Allocations, ref: ResourceRef): boolean =>
  allocations[allocationList[ref.kind]].includes(canonicalResourceId(ref.kind, ref.id));

/**
 * The settings fields a change sets to something the tenant was not allocated (422 naming each
 * field), and the SMS survey rule: SMS surveys may be turned on (or their sender removed) only
 * with an allocated sender chosen. Only what the change alters is checked, so that settings stored
 * before allocations existed are not refused for an unrelated change.
 */
export function settingsAllocationIssues(current: Settings, next: Settings, allocations: Allocations): FieldError[] {
  const issues: FieldError[] = [];
  const notAllocated = 'Not allocated to this tenant by the operator (docs/operations.md, "Allocating resources to a tenant")';
  const smsFields = [
    ['originationIdentity', 'sms-origination-identity'],
    ['configurationSetName', 'sms-configuration-set'],
    ['optOutListName', 'sms-opt-out-list'],
  ] as const;
  for (const [field, kind] of smsFields) {
    const value = next.sms?.[field];
    if (value && value !== current.sms?.[field] && !isAllocated(allocations, { kind, id: value })) {
      issues.push({ path: `$.sms.${field}`, message: notAllocated });
    }
  }
  const before = new Set(current.connect?.instanceArns ?? []);
  (next.connect?.instanceArns ?? []).forEach((arn, index) => {
    if (!before.has(arn) && !isAllocated(allocations, { kind: 'connect-instance', id: arn })) {
      issues.push({ path: `$.connect.instanceArns[${index}]`, message: notAllocated });
    }
  });
  const surveysTurnedOn = smsSurveysOn(next) && !smsSurveysOn(current);
  const senderRemoved = smsSurveysOn(next) && !next.sms?.originationIdentity && current.sms?.originationIdentity;
  if ((surveysTurnedOn || senderRemoved) && !next.sms?.originationIdentity) {
    issues.push({
      path: surveysTurnedOn ? '$.surveys.enabled' : '$.sms.originationIdentity',
      message: 'SMS surveys need an SMS sender: set sms.originationIdentity to one the operator allocated to this tenant, or deliver surveys as links',
    });
  }
  return issues;
}

const smsSurveysOn = (settings: Settings) => settings.surveys.enabled && settings.surveys.deliveryChannel === 'sms';

/**
 * The settings that still use a resource the operator wants to release: its JSON path, or none.
 * A release is refused while a setting uses it (the tenant's admin changes the setting first), so
 * that no setting ever names something the tenant no longer holds.
 */
export function settingUsing(settings: Settings, ref: ResourceRef): string | undefined {
  const id = canonicalResourceId(ref.kind, ref.id);
  const same = (kind: AllocationKind, value: string | undefined) => value !== undefined && canonicalResourceId(kind, value) === id;
  switch (ref.kind) {
    case 'sms-origination-identity':
      return same(ref.kind, settings.sms?.originationIdentity) ? '$.sms.originationIdentity' : undefined;
    case 'sms-configuration-set':
      return same(ref.kind, settings.sms?.configurationSetName) ? '$.sms.configurationSetName' : undefined;
    case 'sms-opt-out-list':
      return same(ref.kind, settings.sms?.optOutListName) ? '$.sms.optOutListName' : undefined;
    case 'connect-instance': {
      const index = (settings.connect?.instanceArns ?? []).findIndex((arn) => same(ref.kind, arn));
      return index >= 0 ? `$.connect.instanceArns[${index}]` : undefined;
    }
    case 'connect-account': {
      const index = (settings.connect?.instanceArns ?? []).findIndex((arn) => connectInstanceAccount(arn) === id);
      return index >= 0 ? `$.connect.instanceArns[${index}]` : undefined;
    }
    case 'mail-identity':
      // No setting names it: replies are mailed from the tenant's first mail identity (docs/operations.md).
      return undefined;
  }
}

/**
 * The From of a case reply: the tenant's first allocated SES identity — an address as it is, a
 * domain as `replies@<domain>` — named by the tenant's display name; undefined without one.
 */
export function caseMailFrom(allocations: Allocations, displayName: string): { from: string; domain: string } | undefined {
  const identity = allocations.mailIdentities[0];
  if (!identity) return undefined;
  const address = identity.includes('@') ? identity : `replies@${identity}`;
  const name = displayName.replace(/["\\\r\n]/g, '').trim();
  // SES takes a display name beyond ASCII only as an RFC 2047 encoded word.
  const shown = /^[\x20-\x7e]*$/.test(name) ? `"${name}"` : `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?=`;
  return { from: name ? `${shown} <${address}>` : address, domain: address.slice(address.lastIndexOf('@') + 1) };
}

/** Why nothing may be sent for a tenant right now, if anything stops it. */
export type SendingRefusal = 'tenant-suspended' | 'sms-sender-not-allocated';

/**
 * The one check before anything leaves the platform for a tenant (an SMS, a webhook delivery,
 * a survey timer): a suspended tenant sends nothing; an SMS goes only from an origination
 * identity, configuration set and opt-out list allocated to that tenant.
 */
export function sendingRefusal(
  rights: { state: 'active' | 'suspended'; allocations: Allocations } | undefined,
  sms?: { originationIdentity?: string; configurationSetName?: string; optOutListName?: string },
): SendingRefusal | undefined {
  if (!rights || rights.state === 'suspended') return 'tenant-suspended';
  if (!sms) return undefined;
  const owned = (kind: AllocationKind, id: string | undefined) => id === undefined || isAllocated(rights.allocations, { kind, id } as ResourceRef);
  if (
    !owned('sms-origination-identity', sms.originationIdentity) ||
    !owned('sms-configuration-set', sms.configurationSetName) ||
    !owned('sms-opt-out-list', sms.optOutListName)
  ) {
    return 'sms-sender-not-allocated';
  }
  return undefined;
}
