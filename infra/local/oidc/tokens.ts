import { type KeyObject, createHash, createSign, createVerify, generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Account } from './user-store';

/**
 * The local issuer's tokens, shaped as Amazon Cognito's user-pool tokens are (RS256 JWTs, `kid`
 * in the header, a JWKS to verify them), so the authorizer verifies them exactly as it verifies
 * Cognito's. The key pair is made when the twin starts: tokens from before a restart no longer verify.
 */

export const accessTokenSeconds = 60 * 60;
export const refreshTokenSeconds = 30 * 24 * 60 * 60;
export const grantedScope = 'openid email profile';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomBytes(16).toString('base64url'), privateKey, publicKey };
}

/** The JWKS document: the public key as a JWK with its `kid`, `alg` and `use`, as Cognito serves it. */
export function jwks(key: SigningKey): { keys: Record<string, unknown>[] } {
  const { n, e } = key.publicKey.export({ format: 'jwk' });
  return { keys: [{ alg: 'RS256', e, kid: key.kid, kty: 'RSA', n, use: 'sig' }] };
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const signingInput = `${encode({ kid: key.kid, alg: 'RS256' })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

/** The claims of a JWT this issuer signed and that has not expired; undefined otherwise. */
export function verifiedClaims(key: SigningKey, token: string, nowMs: number = Date.now()): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  try {
    const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: unknown; alg?: unknown };
    if (kid !== key.kid || alg !== 'RS256') return undefined;
    const valid = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(key.publicKey, Buffer.from(signature, 'base64url'));
    if (!valid) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

export interface TokenGrant {
  issuer: string;
  clientId: string;
  account: Pick<Account, 'sub' | 'email' | 'emailVerified'>;
  /** Epoch seconds of the sign-in the grant comes from (kept across refreshes). */
  authTime: number;
  /** One per sign-in, kept across refreshes, as Cognito's `origin_jti`. */
  originJti: string;
  nonce?: string;
}

/** Cognito's access token: no audience; `client_id`, `token_use: access`, `scope`, `username`. */
export function accessTokenClaims(grant: TokenGrant, nowSeconds: number): Record<string, unknown> {
  return {
    sub: grant.account.sub,
    iss: grant.issuer,
    client_id: grant.clientId,
    origin_jti: grant.originJti,
    token_use: 'access',
    scope: grantedScope,
    auth_time: grant.authTime,
    exp: nowSeconds + accessTokenSeconds,
    iat: nowSeconds,
    jti: randomUUID(),
    username: grant.account.sub,
  };
}

/** Cognito's ID token: `aud` is the client, `token_use: id`, the e-mail claims, `at_hash` of the access token. */
export function idTokenClaims(grant: TokenGrant, nowSeconds: number, accessToken: string): Record<string, unknown> {
  return {
    at_hash: atHash(accessToken),
    sub: grant.account.sub,
    email_verified: grant.account.emailVerified,
    iss: grant.issuer,
    'cognito:username': grant.account.sub,
    ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
    origin_jti: grant.originJti,
    aud: grant.clientId,
    token_use: 'id',
    auth_time: grant.authTime,
    exp: nowSeconds + accessTokenSeconds,
    iat: nowSeconds,
    jti: randomUUID(),
    email: grant.account.email,
  };
}

/** OIDC's at_hash: the left half of the SHA-256 of the access token, base64url. */
export function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}

/** RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))) must equal the code_challenge. */
export function s256Challenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

/** A verifier RFC 7636 allows: 43–128 characters of [A-Za-z0-9-._~]. */
export const isCodeVerifier = (value: string): boolean => /^[A-Za-z0-9\-._~]{43,128}$/.test(value);

export function pkceMatches(codeChallenge: string, codeVerifier: string): boolean {
  if (!isCodeVerifier(codeVerifier)) return false;
  const expected = Buffer.from(s256Challenge(codeVerifier));
  const given = Buffer.from(codeChallenge);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** An opaque secret (authorization codes, refresh tokens, session and interaction ids). */
export const opaqueToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
