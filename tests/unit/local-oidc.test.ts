import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { describe, expect, it } from 'vitest';
import { cognitoOperation, localUserPoolId } from '../../infra/local/oidc/cognito-api';
import { pickLocale } from '../../infra/local/oidc/messages';
import {
  accessTokenClaims,
  atHash,
  idTokenClaims,
  jwks,
  newSigningKey,
  pkceMatches,
  s256Challenge,
  signJwt,
  verifiedClaims,
} from '../../infra/local/oidc/tokens';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totpCode } from '../../infra/local/oidc/totp';
import { IdentityStore, brokenPasswordRules, lockoutMs } from '../../infra/local/oidc/user-store';

describe('TOTP (RFC 6238, SHA-1, 6 digits, 30 s)', () => {
  // RFC 6238 appendix B: the ASCII secret "12345678901234567890"; its 8-digit codes end in these 6 digits.
  const rfcSecret = base32Encode(Buffer.from('12345678901234567890', 'ascii'));
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ])('at %i s the code is %s', (seconds, code) => {
    expect(totpCode(rfcSecret, seconds * 1000)).toBe(code);
  });

  it('base32 round-trips, ignoring case, spaces and padding', () => {
    expect(rfcSecret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq==').toString('ascii')).toBe('12345678901234567890');
    expect(() => base32Decode('GEZ1')).toThrow(RangeError);
  });

  it('accepts the code of the step before and after, not two away, and answers the step it matched', () => {
    const at = 1_700_000_000_000;
    const step = Math.floor(at / 30_000);
    expect(matchTotp(rfcSecret, hotp(rfcSecret, step), at)).toBe(step);
    expect(matchTotp(rfcSecret, hotp(rfcSecret, step - 1), at)).toBe(step - 1);
    expect(matchTotp(rfcSecret, hotp(rfcSecret, step + 1), at)).toBe(step + 1);
    expect(matchTotp(rfcSecret, hotp(rfcSecret, step - 2), at)).toBeUndefined();
    expect(matchTotp(rfcSecret, hotp(rfcSecret, step + 2), at)).toBeUndefined();
    expect(matchTotp(rfcSecret, '12345', at)).toBeUndefined();
  });

  it('gives authenticator apps an otpauth:// URI with the secret and issuer', () => {
    const uri = new URL(otpauthUri(rfcSecret, 'ana@example.com', 'Switchboard'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Switchboard:ana@example.com');
    expect(Object.fromEntries(uri.searchParams)).toEqual({ secret: rfcSecret, issuer: 'Switchboard', algorithm: 'SHA1', digits: '6', period: '30' });
  });
});

describe('PKCE S256 (RFC 7636)', () => {
  it('matches the RFC example and nothing else', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(s256Challenge(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(pkceMatches('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', verifier)).toBe(true);
    expect(pkceMatches('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', `${verifier.slice(0, -1)}Y`)).toBe(false);
    // A "plain" client sending the challenge itself as the verifier does not pass.
    expect(pkceMatches('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
    expect(pkceMatches(s256Challenge('short'), 'short')).toBe(false);
  });
});

describe('tokens, shaped as Cognito user-pool tokens', () => {
  const key = newSigningKey();
  const issuer = 'http://localhost:3000/oidc';
  const grant = {
    issuer,
    clientId: 'switchboard-console',
    account: { sub: '6f1c2f4e-1111-4222-8333-944455556666', email: 'ana@example.com', emailVerified: true },
    authTime: 1_800_000_000,
    originJti: 'origin-1',
    nonce: 'n-1',
  };
  const now = Math.floor(Date.now() / 1000);

  it('an access token has exactly the claims of Cognito access tokens, no audience, no tenant, one hour', () => {
    const claims = accessTokenClaims(grant, now);
    expect(Object.keys(claims).sort()).toEqual(['auth_time', 'client_id', 'exp', 'iat', 'iss', 'jti', 'origin_jti', 'scope', 'sub', 'token_use', 'username'].sort());
    expect(claims).toMatchObject({ iss: issuer, sub: grant.account.sub, client_id: 'switchboard-console', token_use: 'access', scope: 'openid email profile', auth_time: grant.authTime, iat: now, exp: now + 3600, username: grant.account.sub, origin_jti: 'origin-1' });
  });

  it('an ID token has aud, token_use id, the e-mail claims, the nonce and at_hash of its access token', () => {
    const accessToken = signJwt(key, accessTokenClaims(grant, now));
    const claims = idTokenClaims(grant, now, accessToken);
    expect(claims).toMatchObject({ aud: 'switchboard-console', token_use: 'id', email: 'ana@example.com', email_verified: true, nonce: 'n-1', 'cognito:username': grant.account.sub, at_hash: atHash(accessToken) });
    expect(claims).not.toHaveProperty('client_id');
  });

  it('is verified by aws-jwt-verify as the authorizer verifies it (issuer, client_id, token_use) against the JWKS', async () => {
    const verifier = JwtRsaVerifier.create({
      issuer,
      audience: null,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }) => {
        if (payload.client_id !== 'switchboard-console' || payload.token_use !== 'access') throw new Error('not a console access token');
      },
    });
    verifier.cacheJwks(jwks(key) as never);
    const token = signJwt(key, accessTokenClaims(grant, now));
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: grant.account.sub });
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ kid: key.kid, alg: 'RS256' });
    // An ID token is not an access token; another key's signature is refused.
    await expect(verifier.verify(signJwt(key, idTokenClaims(grant, now, token)))).rejects.toThrow();
    const other = newSigningKey();
    await expect(verifier.verify(signJwt({ ...other, kid: key.kid }, accessTokenClaims(grant, now)))).rejects.toThrow();
    expect(verifiedClaims(key, token)).toMatchObject({ sub: grant.account.sub });
    expect(verifiedClaims(key, signJwt(key, accessTokenClaims(grant, now - 3601)))).toBeUndefined();
  });
});

describe('the user store', () => {
  it("applies the people's password policy (12+, lower, upper, digit) and names what is missing", () => {
    expect(brokenPasswordRules('Correct-Horse-9')).toEqual([]);
    expect(brokenPasswordRules('NoSymbolNeeded7')).toEqual([]);
    expect(brokenPasswordRules('short')).toEqual(['length', 'uppercase', 'digit']);
    expect(brokenPasswordRules('Short-Pass-9')).toEqual([]);
    expect(brokenPasswordRules('Short-Pas-9')).toEqual(['length']);
    expect(brokenPasswordRules('alllowercase1!')).toEqual(['uppercase']);
    expect(brokenPasswordRules('ALLUPPERCASE1!')).toEqual(['lowercase']);
  });

  it('locks an account for 15 minutes after 5 failures, even for the right password, then lets it in', () => {
    let now = 1_800_000_000_000;
    const store = new IdentityStore({ now: () => now });
    store.create({ email: 'Ana@Example.com', password: 'Correct-Horse-9', temporary: false });
    for (let attempt = 1; attempt < 5; attempt++) expect(store.checkPassword('ana@example.com', 'Wrong-Horse-9').status).toBe('wrong');
    expect(store.checkPassword('ana@example.com', 'Wrong-Horse-9')).toEqual({ status: 'locked', until: now + lockoutMs });
    expect(store.checkPassword('ana@example.com', 'Correct-Horse-9').status).toBe('locked');
    now += lockoutMs + 1;
    expect(store.checkPassword('ANA@example.com', 'Correct-Horse-9').status).toBe('ok');
  });

  it('refuses a disabled account only once the password is right, and an unknown one as a wrong password', () => {
    const store = new IdentityStore();
    const { account } = store.create({ email: 'bo@example.com', password: 'Correct-Horse-9', temporary: false });
    store.setEnabled(account.sub, false);
    expect(store.checkPassword('bo@example.com', 'Wrong-Horse-9').status).toBe('wrong');
    expect(store.checkPassword('bo@example.com', 'Correct-Horse-9').status).toBe('disabled');
    expect(store.checkPassword('nobody@example.com', 'Correct-Horse-9').status).toBe('wrong');
  });

  it('takes a TOTP code once', () => {
    const store = new IdentityStore();
    const { account } = store.create({ email: 'cy@example.com', password: 'Correct-Horse-9', temporary: false });
    const secret = store.startTotpEnrolment(account.sub);
    const code = totpCode(secret);
    expect(store.checkTotp(account.sub, code).status).toBe('ok');
    expect(store.get(account.sub)?.totpEnrolled).toBe(true);
    expect(store.checkTotp(account.sub, code).status).toBe('wrong');
  });

  it('keeps accounts in its file across restarts when given one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'identity-'));
    try {
      const file = join(dir, 'identity.json');
      const first = new IdentityStore({ file });
      const { account } = first.create({ email: 'di@example.com', password: 'Correct-Horse-9', temporary: true });
      first.setEnabled(account.sub, false);
      const again = new IdentityStore({ file });
      expect(again.findByEmail('di@example.com')).toMatchObject({ sub: account.sub, enabled: false, passwordTemporary: true });
      expect(again.checkPassword('di@example.com', 'Correct-Horse-9').status).toBe('disabled');
      expect(await readFile(file, 'utf8')).not.toContain('Correct-Horse-9');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the Cognito admin-API emulation', () => {
  it("answers Cognito's error types for a duplicate, an unknown user, a weak password and another pool", () => {
    const store = new IdentityStore();
    const create = { UserPoolId: localUserPoolId, Username: 'ed@example.com', MessageAction: 'SUPPRESS', TemporaryPassword: 'Correct-Horse-9', UserAttributes: [{ Name: 'email', Value: 'ed@example.com' }] };
    const created = cognitoOperation(store, 'AdminCreateUser', create) as { User: { Username: string; Attributes: { Name: string; Value: string }[]; UserStatus: string } };
    expect(created.User.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(created.User.Attributes).toContainEqual({ Name: 'sub', Value: created.User.Username });
    expect(() => cognitoOperation(store, 'AdminCreateUser', create)).toThrow(expect.objectContaining({ type: 'UsernameExistsException' }));
    expect(() => cognitoOperation(store, 'AdminGetUser', { UserPoolId: localUserPoolId, Username: 'nobody@example.com' })).toThrow(expect.objectContaining({ type: 'UserNotFoundException' }));
    expect(() => cognitoOperation(store, 'AdminSetUserPassword', { UserPoolId: localUserPoolId, Username: 'ed@example.com', Password: 'weakpassword', Permanent: true })).toThrow(
      expect.objectContaining({ type: 'InvalidPasswordException' }),
    );
    expect(() => cognitoOperation(store, 'AdminGetUser', { UserPoolId: 'eu-west-1_other', Username: 'ed@example.com' })).toThrow(expect.objectContaining({ type: 'ResourceNotFoundException' }));
    // No TemporaryPassword: Cognito makes one that meets the policy.
    const { TemporaryPassword: _given, ...withoutPassword } = create;
    cognitoOperation(store, 'AdminCreateUser', { ...withoutPassword, Username: 'fay@example.com', UserAttributes: [] });
    expect(store.findByEmail('fay@example.com')).toMatchObject({ passwordTemporary: true });
  });
});

describe('the pages language', () => {
  it('takes ui_locales first, then Accept-Language by quality, English otherwise', () => {
    expect(pickLocale('zh-TW', 'en')).toBe('zh-TW');
    expect(pickLocale(undefined, 'fr;q=1, zh-Hant-TW;q=0.9, en;q=0.8')).toBe('zh-TW');
    expect(pickLocale(undefined, 'en-GB, zh-TW;q=0.5')).toBe('en');
    expect(pickLocale(undefined, 'de')).toBe('en');
  });
});
