import { describe, expect, it } from 'vitest';
import { canonicalResourceId, emptyAllocations, sendingRefusal, settingUsing, settingsAllocationIssues } from '../../shared/domain/allocations';
import { connectEventTenant } from '../../shared/domain/connect/contact-event';
import { defaultSettings } from '../../shared/domain/settings';
import type { Settings } from '../../shared/schemas/settings';

/** Issue 11 §1, the pure rules: what a tenant's settings may name, who may send, whose Connect event it is. */
const base = defaultSettings({ name: 'Acme', timezone: 'Asia/Taipei', locale: 'en', defaultCountry: 'TW', plan: 'trial' }, '2026-12-01T00:00:00.000Z', 'svt_x');
const withSms = (sms: Partial<NonNullable<Settings['sms']>>, surveys: Partial<Settings['surveys']> = {}): Settings => ({
  ...base,
  sms: { ...base.sms!, ...sms },
  surveys: { ...base.surveys, ...surveys },
});
const pool = `pool-${'b'.repeat(32)}`;
const allocated = { ...emptyAllocations(), smsOriginationIdentities: ['+886287654321', pool], smsConfigurationSets: ['acme'] };

describe('§1 canonical resource names', () => {
  it('reads an ARN as the id or name it carries, so one resource cannot be claimed twice under two names', () => {
    expect(canonicalResourceId('sms-origination-identity', `arn:aws:sms-voice:ap-northeast-1:123456789012:pool/${pool}`)).toBe(pool);
    expect(canonicalResourceId('sms-origination-identity', 'arn:aws:sms-voice:ap-northeast-1:123456789012:sender-id/ACME/TW')).toBe('sender-id/ACME/TW');
    expect(canonicalResourceId('sms-configuration-set', 'arn:aws:sms-voice:ap-northeast-1:123456789012:configuration-set/acme')).toBe('acme');
    expect(canonicalResourceId('connect-instance', 'arn:aws:connect:us-west-2:123456789012:instance/ABC')).toBe('arn:aws:connect:us-west-2:123456789012:instance/abc');
  });
});

describe('§1 settings choose only among the allocation', () => {
  it('names each field set to something not allocated, and accepts an allocated resource under its ARN', () => {
    const next = withSms({ originationIdentity: `phone-${'c'.repeat(32)}`, configurationSetName: 'other', optOutListName: 'theirs' });
    expect(settingsAllocationIssues(base, next, allocated).map((issue) => issue.path)).toEqual(['$.sms.originationIdentity', '$.sms.configurationSetName', '$.sms.optOutListName']);
    const arn = withSms({ originationIdentity: `arn:aws:sms-voice:ap-northeast-1:123456789012:pool/${pool}` });
    expect(settingsAllocationIssues(base, arn, allocated)).toEqual([]);
  });

  it('refuses SMS surveys turned on without a sender, and leaves alone what an unrelated change does not touch', () => {
    const on = withSms({}, { enabled: true, deliveryChannel: 'sms' });
    expect(settingsAllocationIssues(base, on, allocated)).toEqual([{ path: '$.surveys.enabled', message: expect.stringContaining('SMS surveys need an SMS sender') }]);
    expect(settingsAllocationIssues(base, withSms({}, { enabled: true, deliveryChannel: 'link' }), allocated)).toEqual([]);
    // Stored before allocations existed: an unallocated sender stays until changed.
    const legacy = withSms({ originationIdentity: '+886200000000' }, { enabled: true });
    expect(settingsAllocationIssues(legacy, { ...legacy, locale: 'zh-TW' }, emptyAllocations())).toEqual([]);
  });

  it('finds the setting that still uses a resource the operator would release', () => {
    expect(settingUsing(withSms({ originationIdentity: '+886287654321' }), { kind: 'sms-origination-identity', id: '+886287654321' })).toBe('$.sms.originationIdentity');
    const connect = { ...base, connect: { instanceArns: ['arn:aws:connect:us-west-2:123456789012:instance/abc'] } };
    expect(settingUsing(connect, { kind: 'connect-account', id: '123456789012' })).toBe('$.connect.instanceArns[0]');
    expect(settingUsing(base, { kind: 'sms-opt-out-list', id: 'acme' })).toBeUndefined();
  });
});

describe('§1 who may send', () => {
  it('refuses a suspended tenant anything, and an SMS from an identity or configuration set not allocated to the tenant', () => {
    expect(sendingRefusal({ state: 'suspended', allocations: allocated })).toBe('tenant-suspended');
    expect(sendingRefusal(undefined)).toBe('tenant-suspended');
    expect(sendingRefusal({ state: 'active', allocations: allocated }, { originationIdentity: '+886299999999' })).toBe('sms-sender-not-allocated');
    expect(sendingRefusal({ state: 'active', allocations: allocated }, { originationIdentity: pool, configurationSetName: 'theirs' })).toBe('sms-sender-not-allocated');
    expect(sendingRefusal({ state: 'active', allocations: allocated }, { originationIdentity: '+886287654321', configurationSetName: 'acme' })).toBeUndefined();
    expect(sendingRefusal({ state: 'active', allocations: emptyAllocations() })).toBeUndefined();
  });
});

describe('§1 whose Connect event it is', () => {
  const instanceArn = 'arn:aws:connect:us-west-2:123456789012:instance/abc';
  const registered = { instance: { tenantId: 'ten_a', claimedAt: '2026-12-01T00:00:00Z', ingest: true }, accountTenantId: 'ten_a' };
  it("accepts an event only from the instance's own, registered account, for a registered and listed instance", () => {
    expect(connectEventTenant({ instanceArn, account: '123456789012' }, registered)).toEqual({ tenantId: 'ten_a' });
    expect(connectEventTenant({ instanceArn, account: '999999999999' }, registered)).toEqual({ refused: 'account-mismatch' });
    expect(connectEventTenant({ instanceArn }, registered)).toEqual({ refused: 'account-mismatch' });
    expect(connectEventTenant({ instanceArn, account: '123456789012' }, { ...registered, accountTenantId: 'ten_b' })).toEqual({ refused: 'account-not-registered' });
    expect(connectEventTenant({ instanceArn, account: '123456789012' }, { instance: { tenantId: 'ten_a' }, accountTenantId: 'ten_a' })).toEqual({ refused: 'instance-not-registered' });
    expect(connectEventTenant({ instanceArn, account: '123456789012' }, { ...registered, instance: { ...registered.instance, ingest: false } })).toEqual({ refused: 'instance-not-listed' });
  });
});
