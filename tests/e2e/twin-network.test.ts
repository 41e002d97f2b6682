import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../infra/local/dynamodb';
import { isLoopback } from '../../infra/local/twin';

/**
 * The twin's back doors stay on this machine: DynamoDB Local (any credentials, -sharedDb) listens
 * on loopback only, and the `/local/*` control endpoints and PutEvents (clock, events, schedules)
 * answer only peers on loopback, even when the twin itself listens on every interface
 * (HOST=0.0.0.0). Both are checked without sending anything to an address off loopback: the
 * listening socket is read from the kernel's table, and the peer rule is the function the twin's
 * two gates call.
 */

/** The local addresses (hex, as /proc/net/tcp{,6} writes them) of the sockets listening on `port`. */
function listeningAddresses(port: number): string[] {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6']
    .filter((file) => existsSync(file))
    .flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1))
    .map((line) => line.trim().split(/\s+/))
    // Fields: sl, local_address (addr:port), rem_address, st (0A = LISTEN), …
    .filter((fields) => fields.length > 3 && fields[1]!.endsWith(`:${portHex}`) && fields[3] === '0A')
    .map((fields) => fields[1]!.split(':')[0]!);
}

const ipv4Loopback = '0100007F';
const ipv6Loopback = '00000000000000000000000001000000';
/** ::ffff:127.0.0.1, as Java's IPv6 socket writes an IPv4 loopback bind. */
const mappedIpv4Loopback = '0000000000000000FFFF00000100007F';

describe('the twin on a network', () => {
  it('takes /local/* and PutEvents only from loopback peers', () => {
    for (const peer of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1']) expect(isLoopback(peer), peer).toBe(true);
    for (const peer of ['192.0.2.2', '10.0.0.1', '::ffff:192.0.2.2', 'fe80::1', '0.0.0.0', '::', undefined]) expect(isLoopback(peer), String(peer)).toBe(false);
  });

  it.skipIf(!existsSync('/proc/net/tcp'))(
    'starts DynamoDB Local listening on loopback only',
    async () => {
      const dynamo = await startDynamoDbLocal();
      try {
        const addresses = listeningAddresses(dynamo.port);
        expect(addresses.length).toBeGreaterThan(0);
        expect(addresses.every((address) => [ipv4Loopback, ipv6Loopback, mappedIpv4Loopback].includes(address)), addresses.join(', ')).toBe(true);
      } finally {
        await dynamo.stop();
      }
    },
    60_000,
  );
});
