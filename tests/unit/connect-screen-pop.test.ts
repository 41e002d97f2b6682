import { describe, expect, it, vi } from 'vitest';
import { ConnectAccessUrl, SettingsPatch } from '../../shared/schemas/settings';
import { applySettingsPatch, defaultSettings } from '../../shared/domain/settings';
import { ccpUrlOf, callerNumber, fromStreamsContact, fromWorkspaceEvent, popOnce, popPath, type StreamsContact } from '../../web/src/connect/screen-pop';

/** A contact as amazon-connect-streams hands it to `connect.contact(c => c.onConnecting(…))` (its index.d.ts: Contact, BaseConnection, Endpoint). */
function streamsContact(options: { contactId?: string; type?: string; inbound?: boolean; phoneNumber?: string; noConnection?: boolean }): StreamsContact {
  return {
    getContactId: () => options.contactId ?? '6f1b7f4e-3c1d-4b2a-9e8f-0a1b2c3d4e5f',
    getType: () => options.type ?? 'voice',
    isInbound: () => options.inbound ?? true,
    getInitialConnection: () =>
      options.noConnection
        ? null
        : {
            getEndpoint: () => ({ phoneNumber: options.phoneNumber ?? '', agentLogin: null, agentName: null, type: 'phone_number', name: '' }),
          },
  };
}

describe('the screen pop from an Amazon Connect contact', () => {
  it("pops an inbound call at the caller's number in E.164", () => {
    expect(popPath(fromStreamsContact(streamsContact({ phoneNumber: '+886912345678' })))).toBe('/desk/pop?phone=%2B886912345678');
    // Streams names a SIP endpoint for some carriers.
    expect(popPath(fromStreamsContact(streamsContact({ phoneNumber: 'sip:+14155550123@10.0.0.1:5060' })))).toBe('/desk/pop?phone=%2B14155550123');
    expect(popPath(fromStreamsContact(streamsContact({ type: 'queue_callback', phoneNumber: '+886 2 8765 4321' })))).toBe('/desk/pop?phone=%2B886287654321');
  });

  it('pops nothing for a withheld number, a chat or task, a contact without a connection, or an outbound call', () => {
    for (const phoneNumber of ['anonymous', '', 'Restricted', '12345']) expect(popPath(fromStreamsContact(streamsContact({ phoneNumber }))), phoneNumber).toBeUndefined();
    expect(popPath(fromStreamsContact(streamsContact({ type: 'chat', phoneNumber: '+886912345678' })))).toBeUndefined();
    expect(popPath(fromStreamsContact(streamsContact({ type: 'task', noConnection: true })))).toBeUndefined();
    expect(popPath(fromStreamsContact(streamsContact({ inbound: false, phoneNumber: '+886912345678' })))).toBeUndefined();
    const throwing: StreamsContact = { ...streamsContact({}), getInitialConnection: () => ({ getEndpoint: () => { throw new Error('no endpoint'); } }) };
    expect(popPath(fromStreamsContact(throwing))).toBeUndefined();
  });

  it('pops each contact once, though Connect reports it connecting and then connected', () => {
    const go = vi.fn();
    const pop = popOnce(go);
    const first = fromStreamsContact(streamsContact({ contactId: 'a', phoneNumber: '+886912345678' }));
    expect(pop(first)).toBe('/desk/pop?phone=%2B886912345678');
    expect(pop(first)).toBeUndefined();
    expect(pop(fromStreamsContact(streamsContact({ contactId: 'b', phoneNumber: '+886912000111' })))).toBe('/desk/pop?phone=%2B886912000111');
    // A contact without a number is not remembered: were its number read later, it would still pop.
    expect(pop(fromStreamsContact(streamsContact({ contactId: 'c', phoneNumber: 'anonymous' })))).toBeUndefined();
    expect(pop(fromStreamsContact(streamsContact({ contactId: 'c', phoneNumber: '+886912000222' })))).toBe('/desk/pop?phone=%2B886912000222');
    expect(go.mock.calls.map(([path]) => path)).toEqual(['/desk/pop?phone=%2B886912345678', '/desk/pop?phone=%2B886912000111', '/desk/pop?phone=%2B886912000222']);
  });

  it("pops the agent workspace's connected voice contact (@amazon-connect/contact ContactConnected) at the number the voice client reads", () => {
    const connected = { contactId: 'c-1', initialContactId: undefined, type: 'voice', subtype: 'connect:Telephony' };
    expect(popPath(fromWorkspaceEvent(connected, '+886912345678'))).toBe('/desk/pop?phone=%2B886912345678');
    expect(popPath(fromWorkspaceEvent({ ...connected, type: 'chat', subtype: 'connect:Chat' }, undefined))).toBeUndefined();
  });

  it('reads a number only when it is one', () => {
    expect(callerNumber('tel:+886-912-345-678')).toBe('+886912345678');
    expect(callerNumber('+0912345678')).toBeUndefined();
    expect(callerNumber(undefined)).toBeUndefined();
  });

  it("frames the CCP at the instance's /ccp-v2/", () => {
    expect(ccpUrlOf('https://acme.my.connect.aws')).toBe('https://acme.my.connect.aws/ccp-v2/');
    expect(ccpUrlOf('https://acme.awsapps.com/connect')).toBe('https://acme.awsapps.com/connect/ccp-v2/');
  });
});

describe("the instance's access URL in the Connect settings", () => {
  it('takes the two shapes Amazon Connect gives, lower-cased and without a trailing slash', () => {
    expect(ConnectAccessUrl.parse(' https://Acme-Care.my.connect.aws/ ')).toBe('https://acme-care.my.connect.aws');
    expect(ConnectAccessUrl.parse('https://acme.awsapps.com/connect')).toBe('https://acme.awsapps.com/connect');
  });

  it('refuses anything else: http, another host, a path, a port, credentials, a look-alike domain', () => {
    for (const url of [
      'http://acme.my.connect.aws',
      'https://my.connect.aws',
      'https://acme.my.connect.aws.evil.example',
      'https://acme.my.connect.aws/ccp-v2',
      'https://acme.my.connect.aws:8443',
      'https://user@acme.my.connect.aws',
      'https://acme.awsapps.com',
      'https://acme.awsapps.com/connect/ccp-v2/',
      'https://a.b.my.connect.aws',
      'https://-acme.my.connect.aws',
      'https://evil.example/?https://acme.my.connect.aws',
      'javascript:alert(1)//acme.my.connect.aws',
    ]) {
      expect(ConnectAccessUrl.safeParse(url).success, url).toBe(false);
    }
  });

  it('is merged field by field: changing the instances keeps the URL, null removes it', () => {
    const base = defaultSettings({ name: 'Acme', timezone: 'Asia/Taipei', locale: 'zh-TW', defaultCountry: 'TW' } as Parameters<typeof defaultSettings>[0], '2026-03-01T00:00:00.000Z');
    const withUrl = applySettingsPatch(base, SettingsPatch.parse({ connect: { accessUrl: 'https://acme.my.connect.aws' } }), '2026-03-02T00:00:00.000Z');
    expect(withUrl.connect).toEqual({ instanceArns: [], accessUrl: 'https://acme.my.connect.aws' });
    const arn = 'arn:aws:connect:ap-northeast-1:123456789012:instance/3f6b2c1d-8e4a-4b7c-9d10-2e3f4a5b6c7d';
    const withInstance = applySettingsPatch(withUrl, SettingsPatch.parse({ connect: { instanceArns: [arn] } }), '2026-03-03T00:00:00.000Z');
    expect(withInstance.connect).toEqual({ instanceArns: [arn], accessUrl: 'https://acme.my.connect.aws' });
    const removed = applySettingsPatch(withInstance, SettingsPatch.parse({ connect: { accessUrl: null } }), '2026-03-04T00:00:00.000Z');
    expect(removed.connect).toEqual({ instanceArns: [arn] });
  });
});
