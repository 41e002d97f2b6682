import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGlobalUnicast, isLoopbackAddress } from '../../shared/domain/network-address';
import { endpointProblem, isDeliverableAddress } from '../../shared/domain/webhook';
import { pinnedSender, twinReceiverPorts, unreachableEndpoint } from '../../shared/services/webhook-delivery';

/**
 * Issue 11 §5, webhook SSRF: registration checked only the host string, and delivery connected
 * wherever the name resolved. Addresses are judged by IANA's special-purpose registries; names
 * are resolved once, every address checked, and the connection pinned to the checked one.
 */

describe('isGlobalUnicast: IANA special-purpose IPv4 ranges are not global', () => {
  it.each([
    ['0.0.0.0', false, 'this network'],
    ['0.1.2.3', false, 'this network'],
    ['10.0.0.1', false, 'private'],
    ['100.64.0.1', false, 'shared address space (CGN)'],
    ['100.127.255.254', false, 'shared address space (CGN)'],
    ['100.128.0.1', true, 'just past the shared address space'],
    ['100.63.255.255', true, 'just before the shared address space'],
    ['127.0.0.1', false, 'loopback'],
    ['127.255.255.254', false, 'loopback'],
    ['169.254.169.254', false, 'link-local (instance metadata)'],
    ['172.16.0.1', false, 'private'],
    ['172.31.255.255', false, 'private'],
    ['172.32.0.1', true, 'past 172.16/12'],
    ['172.15.255.255', true, 'before 172.16/12'],
    ['192.0.0.1', false, 'IETF protocol assignments'],
    ['192.0.0.170', false, 'NAT64 discovery'],
    ['192.0.2.1', false, 'TEST-NET-1'],
    ['192.88.99.1', false, '6to4 relay anycast'],
    ['192.168.1.1', false, 'private'],
    ['198.18.0.1', false, 'benchmarking'],
    ['198.19.255.255', false, 'benchmarking'],
    ['198.20.0.1', true, 'past benchmarking'],
    ['198.51.100.7', false, 'TEST-NET-2'],
    ['203.0.113.9', false, 'TEST-NET-3'],
    ['224.0.0.1', false, 'multicast'],
    ['239.255.255.250', false, 'multicast'],
    ['240.0.0.1', false, 'reserved'],
    ['255.255.255.255', false, 'broadcast'],
    ['8.8.8.8', true, 'public'],
    ['1.1.1.1', true, 'public'],
    ['93.184.215.14', true, 'public'],
    ['192.0.3.1', true, 'public, beside TEST-NET-1'],
  ])('%s → %s (%s)', (address, global) => {
    expect(isGlobalUnicast(address)).toBe(global);
  });
});

describe('isGlobalUnicast: IPv6, and IPv4 hidden inside IPv6', () => {
  it.each([
    ['::', false, 'unspecified'],
    ['::1', false, 'loopback'],
    ['::127.0.0.1', false, 'IPv4-compatible loopback'],
    ['::7f00:1', false, 'IPv4-compatible loopback, hex'],
    ['::8.8.8.8', false, 'IPv4-compatible (deprecated), even of a public address'],
    ['::ffff:127.0.0.1', false, 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', false, 'IPv4-mapped loopback, hex'],
    ['::ffff:169.254.169.254', false, 'IPv4-mapped metadata'],
    ['::ffff:8.8.8.8', false, 'IPv4-mapped: never a wire address'],
    ['64:ff9b::7f00:1', false, 'NAT64 of loopback'],
    ['64:ff9b::10.0.0.1', false, 'NAT64 of a private address'],
    ['64:ff9b::a9fe:a9fe', false, 'NAT64 of instance metadata'],
    ['64:ff9b::808:808', true, 'NAT64 of a public address'],
    ['64:ff9b:1::1', false, 'local-use NAT64'],
    ['100::1', false, 'discard-only'],
    ['2001::1', false, 'Teredo'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', false, 'Teredo'],
    ['2001:db8::1', false, 'documentation'],
    ['2001:10::1', false, 'ORCHID'],
    ['2002:7f00:1::1', false, '6to4 of loopback'],
    ['2002:c0a8:101::1', false, '6to4 of 192.168.1.1'],
    ['2002:808:808::1', true, '6to4 of a public address'],
    ['3fff::1', false, 'documentation (RFC 9637)'],
    ['fc00::1', false, 'unique local'],
    ['fd12:3456:789a::1', false, 'unique local'],
    ['fe80::1', false, 'link-local'],
    ['fe80::1%eth0', false, 'link-local with a zone'],
    ['fec0::1', false, 'site-local (deprecated)'],
    ['ff02::1', false, 'multicast'],
    ['5f00::1', false, 'SRv6 SIDs'],
    ['2606:4700:4700::1111', true, 'public'],
    ['2a00:1450:4001:82f::200e', true, 'public'],
    ['[2606:4700:4700::1111]', true, 'public, in URL brackets'],
    ['[::1]', false, 'loopback, in URL brackets'],
  ])('%s → %s (%s)', (address, global) => {
    expect(isGlobalUnicast(address)).toBe(global);
  });

  it('is false for anything that is not an address', () => {
    for (const text of ['', 'localhost', 'example.com', '1.2.3', '1.2.3.4.5', '256.1.1.1', ':::', 'gggg::1']) expect(isGlobalUnicast(text), text).toBe(false);
  });
});

describe('isGlobalUnicast, properties (fast-check)', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  const v4 = (a: number, b: number, c: number, d: number) => `${a}.${b}.${c}.${d}`;
  const hex = (a: number, b: number) => ((a << 8) | b).toString(16);

  it('judges an IPv4 address, its IPv4-mapped, IPv4-compatible and NAT64 forms consistently', () => {
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        const address = v4(a, b, c, d);
        const global = isGlobalUnicast(address);
        expect(isGlobalUnicast(`::ffff:${address}`)).toBe(false);
        expect(isGlobalUnicast(`::${hex(a, b)}:${hex(c, d)}`)).toBe(false);
        expect(isGlobalUnicast(`64:ff9b::${address}`)).toBe(global);
        expect(isGlobalUnicast(`64:ff9b::${hex(a, b)}:${hex(c, d)}`)).toBe(global);
        expect(isGlobalUnicast(`2002:${hex(a, b)}:${hex(c, d)}::1`)).toBe(global);
      }),
    );
  });

  it('never calls private, loopback, link-local, CGN, benchmarking or class E addresses global', () => {
    const nonGlobal = fc.oneof(
      fc.tuple(fc.constant(10), octet, octet, octet),
      fc.tuple(fc.constant(127), octet, octet, octet),
      fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
      fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), octet, octet),
      fc.tuple(fc.constant(198), fc.integer({ min: 18, max: 19 }), octet, octet),
      fc.tuple(fc.integer({ min: 224, max: 255 }), octet, octet, octet),
    );
    fc.assert(
      fc.property(nonGlobal, ([a, b, c, d]) => {
        expect(isGlobalUnicast(v4(a, b, c, d))).toBe(false);
      }),
    );
  });

  it('calls no IPv6 address outside 2000::/3 global, NAT64 aside', () => {
    const word = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(word, { minLength: 8, maxLength: 8 }), (words) => {
        const address = words.map((w) => w.toString(16)).join(':');
        const first = words[0]!;
        if (first >> 13 !== 1 && !(first === 0x64 && words[1] === 0xff9b)) expect(isGlobalUnicast(address), address).toBe(false);
      }),
    );
  });

  it('treats every notation the URL parser accepts for one address alike', () => {
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        const dotted = v4(a, b, c, d);
        const number = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
        for (const form of [String(number), `0x${number.toString(16)}`, `0${a.toString(8)}.${b}.${c}.${d}`, `${a}.${(b << 16) + (c << 8) + d}`]) {
          const host = new URL(`https://${form}/`).hostname;
          expect(host).toBe(dotted);
          expect(endpointProblem(`https://${form}/`) === undefined).toBe(isGlobalUnicast(dotted));
        }
      }),
    );
  });

  it('knows loopback in both families', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.2')).toBe(true);
    expect(isLoopbackAddress('10.0.0.1')).toBe(false);
    expect(isLoopbackAddress('::2')).toBe(false);
  });
});

describe('webhook endpoints at registration (issue 11 §5: the URLs it found accepted)', () => {
  const notPublic = 'Must be a public host, not a loopback, private, shared, reserved or documentation address';
  it.each([
    ['https://localhost./', 'Must not end the host name with a dot'],
    ['https://hooks.example.com./in', 'Must not end the host name with a dot'],
    ['https://[::127.0.0.1]/', notPublic],
    ['https://[64:ff9b::7f00:1]/', notPublic],
    ['https://198.18.0.1/', notPublic],
    ['https://0x7f.1/', notPublic],
    ['https://2130706433/', notPublic],
    ['https://017700000001/', notPublic],
    ['https://[::ffff:a9fe:a9fe]/latest', notPublic],
    ['https://[fd00::1]/', notPublic],
    ['https://[2002:c0a8:101::1]/', notPublic],
    ['https://[2001::1]/', notPublic],
    ['https://localhost/', 'Must be a fully qualified host name'],
    ['https://metadata/', 'Must be a fully qualified host name'],
    ['https://api.localhost/', notPublic],
    ['https://printer.local/', notPublic],
    ['https://db.internal/', notPublic],
    ['https://router.home.arpa/', notPublic],
    ['https://1.0.0.127.in-addr.arpa/', notPublic],
    ['https://hooks.example.com:22/', 'Must use port 443 or 8443'],
    ['https://hooks.example.com:80/', 'Must use port 443 or 8443'],
    ['https://hooks.example.com:8080/', 'Must use port 443 or 8443'],
    ['https://user@hooks.example.com/', 'Must not carry credentials; verify the signature instead'],
    ['https://:pw@hooks.example.com/', 'Must not carry credentials; verify the signature instead'],
    ['https://hooks.example.com/', undefined],
    ['https://hooks.example.com:443/', undefined],
    ['https://hooks.example.com:8443/in?x=1', undefined],
    ['https://8.8.8.8/', undefined],
    ['https://[2606:4700:4700::1111]:8443/', undefined],
    ['https://[64:ff9b::808:808]/', undefined],
  ])('%s → %s', (url, problem) => {
    expect(endpointProblem(url)).toBe(problem);
  });
});

describe('webhook delivery connects only to a checked address (issue 11 §5)', () => {
  const endpoint = new URL('https://hooks.example.com/in');

  it('delivers only to global unicast addresses, over https, on 443 or 8443', () => {
    expect(isDeliverableAddress('93.184.215.14', endpoint)).toBe(true);
    expect(isDeliverableAddress('93.184.215.14', new URL('https://hooks.example.com:8443/in'))).toBe(true);
    expect(isDeliverableAddress('93.184.215.14', new URL('https://hooks.example.com:8080/in'))).toBe(false);
    expect(isDeliverableAddress('93.184.215.14', new URL('http://hooks.example.com/in'))).toBe(false);
    for (const address of ['127.0.0.1', '10.0.0.1', '169.254.169.254', '100.64.0.1', '::1', 'fd00::1', '64:ff9b::7f00:1']) {
      expect(isDeliverableAddress(address, endpoint), address).toBe(false);
    }
  });

  it('lets the twin reach only its own loopback receiver ports, and nothing more', () => {
    expect(isDeliverableAddress('127.0.0.1', new URL('http://127.0.0.1:8080/in'), [8080])).toBe(true);
    expect(isDeliverableAddress('127.0.0.1', new URL('http://127.0.0.1:8081/in'), [8080])).toBe(false);
    expect(isDeliverableAddress('10.0.0.1', new URL('http://10.0.0.1:8080/in'), [8080])).toBe(false);
    expect(isDeliverableAddress('127.0.0.1', new URL('http://127.0.0.1:8080/in'), [])).toBe(false);
  });

  it('ignores the twin allowance inside Lambda, and reads it from its variable elsewhere', () => {
    expect(twinReceiverPorts({ SWITCHBOARD_TWIN_WEBHOOK_RECEIVER_PORTS: '8080, 9090,junk,70000' })).toEqual([8080, 9090]);
    expect(twinReceiverPorts({ SWITCHBOARD_TWIN_WEBHOOK_RECEIVER_PORTS: '8080', AWS_LAMBDA_FUNCTION_NAME: 'switchboard-prod-webhook-deliver' })).toEqual([]);
    expect(twinReceiverPorts({})).toEqual([]);
  });

  describe('pinnedSender', () => {
    let server: Server;
    let port: number;
    const hosts: (string | undefined)[] = [];
    beforeAll(async () => {
      server = createServer((request, response) => {
        hosts.push(request.headers.host);
        request.resume();
        response.writeHead(204).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    const send = (sender: ReturnType<typeof pinnedSender>, url: string) => sender({ url, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2_000 });

    it('refuses a name that resolves to a private address, with the generic text and no connection', async () => {
      const asked: string[] = [];
      const sender = pinnedSender({ resolve: async (name) => (asked.push(name), ['93.184.215.14', '10.0.0.7']), twinReceiverPorts: [] });
      await expect(send(sender, 'https://mixed.example.com/in')).resolves.toEqual({ error: unreachableEndpoint });
      expect(asked).toEqual(['mixed.example.com']);
      const loopback = pinnedSender({ resolve: async () => ['127.0.0.1'], twinReceiverPorts: [] });
      await expect(send(loopback, 'https://rebind.example.com/in')).resolves.toEqual({ error: unreachableEndpoint });
    });

    it('records the same text for a name that does not resolve, a refused address and a resolver that hangs', async () => {
      const failing = pinnedSender({ resolve: () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' })), twinReceiverPorts: [] });
      const hanging = pinnedSender({ resolve: () => new Promise(() => undefined), twinReceiverPorts: [] });
      await expect(send(failing, 'https://nowhere.example.com/in')).resolves.toEqual({ error: unreachableEndpoint });
      await expect(hanging({ url: 'https://slow.example.com/in', headers: {}, body: '{}', timeoutMs: 50 })).resolves.toEqual({ error: unreachableEndpoint });
    });

    it('resolves once and connects to the address it checked, with the name as Host (no DNS rebinding)', async () => {
      const answers = [['127.0.0.1'], ['10.0.0.9']];
      let lookups = 0;
      const sender = pinnedSender({ resolve: async () => answers[lookups++]!, twinReceiverPorts: [port] });
      await expect(send(sender, `http://localhost:${port}/in`)).resolves.toEqual({ responseStatus: 204 });
      expect(lookups).toBe(1);
      expect(hosts.at(-1)).toBe(`localhost:${port}`);
    });

    it('sends nothing to a URL stored under older rules, and says why', async () => {
      const sender = pinnedSender({ resolve: async () => ['93.184.215.14'], twinReceiverPorts: [] });
      await expect(send(sender, 'https://hooks.example.com:6379/in')).resolves.toEqual({ error: 'The endpoint URL is not accepted: Must use port 443 or 8443' });
      await expect(send(sender, `http://127.0.0.1:${port}/in`)).resolves.toEqual({ error: 'The endpoint URL is not accepted: Must be https://' });
    });
  });
});
