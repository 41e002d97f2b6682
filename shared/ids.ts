import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID-style id: 48-bit millisecond time then 80 random bits, in Crockford base32, so ids
 * sort by creation time. Prefixed with the kind (`cus_…`) so an id says what it names.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = randomBytes(10);
  let bits = 0n;
  for (const byte of random) bits = (bits << 8n) | BigInt(byte);
  let rand = '';
  for (let i = 0; i < 16; i++) {
    rand = CROCKFORD[Number(bits & 31n)] + rand;
    bits >>= 5n;
  }
  return `${prefix}_${time}${rand}`;
}

/** Ids come from our own generator; anything else cannot name an item and is treated as absent. */
export const looksLikeId = (prefix: string, value: string) => new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`).test(value);

/** Ids that sort in the order they were made, even within one millisecond, starting after `after`: timeline entries of one change keep their order. */
export function monotonicIds(prefix: string, after = ''): () => string {
  let last = after;
  let ahead = 0;
  return () => {
    let id = newId(prefix);
    while (id <= last) id = newId(prefix, Date.now() + ++ahead);
    last = id;
    return id;
  };
}
