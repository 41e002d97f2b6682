import { isIPv4, isIPv6 } from 'node:net';

/**
 * Whether an IP address is one the public internet routes to a single host: global unicast, by
 * IANA's special-purpose address registries (iana-ipv4-special-registry, iana-ipv6-special-registry,
 * as of 2024) and RFC 6890. Webhooks are delivered only to such addresses, so that a tenant cannot
 * make Switchboard call into its own network, the instance metadata service or a neighbour's LAN.
 *
 * Addresses that embed an IPv4 address (NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the
 * embedded address; IPv4-mapped and IPv4-compatible forms, Teredo and the rest of 2001::/23 are
 * never global here. Anything that is not an address is not global.
 */
export function isGlobalUnicast(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(bare)) return isGlobalIPv4(ipv4Bytes(bare));
  if (isIPv6(bare)) {
    const bytes = ipv6Bytes(bare);
    return bytes !== undefined && isGlobalIPv6(bytes);
  }
  return false;
}

/** The address family of an IP literal (brackets allowed), or undefined for a name. */
export function ipFamily(host: string): 4 | 6 | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIPv4(bare)) return 4;
  if (isIPv6(bare)) return 6;
  return undefined;
}

/** 127.0.0.0/8 and ::1 (also IPv4-mapped): this machine. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(bare)) return ipv4Bytes(bare)[0] === 127;
  if (!isIPv6(bare)) return false;
  const bytes = ipv6Bytes(bare);
  if (!bytes) return false;
  if (bytes.slice(0, 15).every((byte) => byte === 0) && bytes[15] === 1) return true;
  return startsWith(bytes, mappedPrefix, 96) && bytes[12] === 127;
}

type Range = readonly [prefix: readonly number[], bits: number];

/** IPv4 ranges whose "globally reachable" is False (or that are not unicast). */
const nonGlobalIPv4: readonly Range[] = [
  [[0], 8], // "this network"
  [[10], 8], // private
  [[100, 64], 10], // shared address space (carrier-grade NAT)
  [[127], 8], // loopback
  [[169, 254], 16], // link-local, cloud instance metadata
  [[172, 16], 12], // private
  [[192, 0, 0], 24], // IETF protocol assignments (DS-Lite, NAT64 discovery, …)
  [[192, 0, 2], 24], // documentation TEST-NET-1
  [[192, 88, 99], 24], // 6to4 relay anycast (deprecated)
  [[192, 168], 16], // private
  [[198, 18], 15], // benchmarking
  [[198, 51, 100], 24], // documentation TEST-NET-2
  [[203, 0, 113], 24], // documentation TEST-NET-3
  [[224], 4], // multicast
  [[240], 4], // reserved, and 255.255.255.255 broadcast
];

function isGlobalIPv4(bytes: readonly number[]): boolean {
  return !nonGlobalIPv4.some(([prefix, bits]) => startsWith(bytes, prefix, bits));
}

const mappedPrefix = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];
const nat64Prefix = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];

/** Inside 2000::/3 (the only global unicast space IANA has allocated), ranges that are not global. */
const nonGlobalIPv6: readonly Range[] = [
  [[0x20, 0x01, 0x00], 23], // IETF protocol assignments, Teredo 2001::/32 among them
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0x3f, 0xff, 0x00], 20], // documentation (RFC 9637)
];

function isGlobalIPv6(bytes: readonly number[]): boolean {
  // NAT64's well-known prefix reaches the IPv4 address in its last 32 bits: judge that one.
  if (startsWith(bytes, nat64Prefix, 96)) return isGlobalIPv4(bytes.slice(12));
  // 6to4 carries its IPv4 relay in bits 16–47.
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return isGlobalIPv4(bytes.slice(2, 6));
  if (!startsWith(bytes, [0x20], 3)) return false; // ::/8 (unspecified, loopback, mapped, compatible), ULA fc00::/7, link-local fe80::/10, multicast ff00::/8, …
  return !nonGlobalIPv6.some(([prefix, bits]) => startsWith(bytes, prefix, bits));
}

function startsWith(bytes: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const index = bit / 8;
    const width = Math.min(8, bits - bit);
    const mask = (0xff << (8 - width)) & 0xff;
    if (((bytes[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

const ipv4Bytes = (address: string) => address.split('.').map(Number);

/** The 16 bytes of an IPv6 address (already checked by isIPv6), embedded dotted IPv4 and zone id included. */
function ipv6Bytes(address: string): number[] | undefined {
  let text = address.split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = ipv4Bytes(dotted[1]!) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const first = groups(head);
  const last = groups(tail);
  const words = tail === undefined ? first : [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
  if (words.length !== 8 || words.some((word) => !Number.isInteger(word) || word < 0 || word > 0xffff)) return undefined;
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}
