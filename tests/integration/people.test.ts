import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  InvalidPasswordException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { newSigningKey, signJwt } from '../../infra/local/oidc/tokens';
import { identityDirectory } from '../../shared/ports/identity-directory';
import { FormBrowser, cognitoClient, signInPerson, signInThroughPages } from '../support/people-sign-in';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';

/**
 * People on the twin's own side of AWS: the functions' Cognito and SES adapters talk to the twin's
 * emulations, people sign in on its local OIDC issuer's pages (tests/support/people-sign-in.ts),
 * and the authorizer verifies the issuer's tokens against its JWKS.
 */
let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(async () => {
  await twin.close();
});
afterEach(() => {
  delete process.env.SIGNUP_REQUIRES_APPROVAL;
});

const unique = () => Math.random().toString(36).slice(2, 8);

const mailTo = (to: string, kind?: string) => twin.mail.sentTo(to).find((mail) => kind === undefined || mail.kind === kind);
const accountOf = (email: string) => twin.identity.findByEmail(email)!;
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
/** The token's claims with `changes`, signed with the twin issuer's own key (so only the changed claims are wrong). */
const resigned = (token: string, changes: Record<string, unknown>) => signJwt(twin.oidc.key, { ...claimsOf(token), ...changes });
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** Sessions are cut at whole seconds (sessionsValidAfter): a sign-in after a sign-out waits for the next one. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_050 - (Date.now() % 1_000)));
const temporaryPasswordIn = (text: string | undefined) => /temporary password: (\S+)/.exec(text ?? '')?.[1];

async function invite(admin: string, body: Record<string, unknown>) {
  const invited = await api(twin.url, 'POST', '/v1/people', { key: admin, body });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  return invited.body as { personId: string; email: string; agentId: string; role: string; state: string; version: number };
}

/** Invites a person, who signs in on the issuer (their first request makes them active). */
async function signedInPerson(admin: string, role: string) {
  const email = `${role}.${unique()}@acme.test`;
  const person = await invite(admin, { email, role });
  const tokens = await signInPerson(twin, email);
  expect((await api(twin.url, 'GET', '/v1/me', { key: tokens.accessToken })).status).toBe(200);
  return { ...person, email, token: tokens.accessToken, idToken: tokens.idToken, refreshToken: tokens.refreshToken };
}

const etagOf = async (admin: string, personId: string) => (await api(twin.url, 'GET', `/v1/people/${personId}`, { key: admin })).headers.get('etag')!;

describe('people', () => {
  it('are invited with a mail in the tenant\'s language and English, listed, changed with If-Match, and sign in as who they are', async () => {
    const { apiKey: admin, tenant } = await createTenant(twin);
    const email = `Mei.Lin.${unique()}@Acme.test`;
    const invited = await invite(admin, { email, role: 'supervisor', displayName: 'Mei Lin' });
    expect(invited).toMatchObject({ email: email.toLowerCase(), role: 'supervisor', state: 'invited', agentId: email.toLowerCase().split('@')[0], version: 1 });

    const mail = mailTo(email.toLowerCase(), 'invitation');
    expect(mail?.subject).toMatch(/^您受邀加入 .* \/ You are invited to Acme Support/);
    const temporary = temporaryPasswordIn(mail?.text);
    expect(accountOf(email)).toMatchObject({ passwordTemporary: true, enabled: true });
    expect(twin.identity.checkPassword(email, temporary ?? '').status).toBe('ok');
    expect(mail?.tenantId).toBe(tenant.tenantId);

    const again = await api(twin.url, 'POST', '/v1/people', { key: admin, body: { email, role: 'agent' } });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('/problems/person-exists');

    const token = (await signInPerson(twin, email)).accessToken;
    const me = await api(twin.url, 'GET', '/v1/me', { key: token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      principal: { kind: 'person', personId: invited.personId, role: 'supervisor', agentId: invited.agentId, displayName: 'Mei Lin' },
      scopes: ['supervisor'],
      tenant: { tenantId: tenant.tenantId, locale: 'zh-TW', timezone: 'Asia/Taipei' },
    });

    const listed = await api(twin.url, 'GET', '/v1/people', { key: admin });
    const shown = listed.body.items.find((person: { personId: string }) => person.personId === invited.personId);
    expect(shown).toMatchObject({ state: 'active' });
    expect(Date.parse(shown.lastSignInAt)).toBeGreaterThan(Date.now() - 60_000);

    const withoutIfMatch = await api(twin.url, 'PATCH', `/v1/people/${invited.personId}`, { key: admin, body: { role: 'agent' } });
    expect(withoutIfMatch.status).toBe(428);
    const changed = await api(twin.url, 'PATCH', `/v1/people/${invited.personId}`, {
      key: admin,
      body: { role: 'agent', agentId: 'mei' },
      headers: { 'if-match': await etagOf(admin, invited.personId) },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ role: 'agent', agentId: 'mei' });
    expect((await api(twin.url, 'GET', '/v1/me', { key: token })).body.scopes).toEqual(['agent']);

    const taken = await api(twin.url, 'POST', '/v1/people', { key: admin, body: { email: `other.${unique()}@acme.test`, role: 'agent', agentId: 'mei' } });
    expect(taken.status).toBe(409);
    expect(taken.body.type).toBe('/problems/agent-id-taken');
  });

  it('keep one active admin: the last cannot be demoted or deactivated, and the audit log names the person who acted', async () => {
    const { apiKey: admin } = await createTenant(twin);
    const first = await signedInPerson(admin, 'admin');
    const demoteSelf = await api(twin.url, 'PATCH', `/v1/people/${first.personId}`, {
      key: first.token,
      body: { role: 'viewer' },
      headers: { 'if-match': await etagOf(admin, first.personId) },
    });
    expect(demoteSelf.status).toBe(409);
    expect(demoteSelf.body.type).toBe('/problems/last-admin-person');
    const deactivateSelf = await api(twin.url, 'POST', `/v1/people/${first.personId}/deactivate`, { key: first.token });
    expect(deactivateSelf.status).toBe(409);
    expect(deactivateSelf.body.type).toBe('/problems/last-admin-person');

    const second = await signedInPerson(first.token, 'admin');
    const demoted = await api(twin.url, 'PATCH', `/v1/people/${first.personId}`, {
      key: second.token,
      body: { role: 'viewer' },
      headers: { 'if-match': await etagOf(admin, first.personId) },
    });
    expect(demoted.status).toBe(200);

    const log = await api(twin.url, 'GET', '/v1/audit-log?action=person.changed', { key: admin });
    expect(log.body.items[0]).toMatchObject({ actor: { type: 'person', personId: second.personId }, target: { type: 'person', id: first.personId }, summary: { changedFields: ['role'], role: 'viewer' } });
    const invitedBy = await api(twin.url, 'GET', `/v1/audit-log?actor=${first.personId}`, { key: admin });
    expect(invitedBy.body.items.map((entry: { action: string }) => entry.action)).toContain('person.invited');
  });

  it('resending an invitation is audited once, naming the person who resent it; a retry with the same Idempotency-Key writes no second entry', async () => {
    const { apiKey: admin } = await createTenant(twin);
    const resender = await signedInPerson(admin, 'admin');
    const email = `invited.${unique()}@acme.test`;
    const invited = await api(twin.url, 'POST', '/v1/people', { key: admin, body: { email, role: 'supervisor' } });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const resendOnce = () =>
      api(twin.url, 'POST', `/v1/people/${invited.body.personId}/invitation`, { key: resender.token, headers: { 'idempotency-key': `resend-${email}` } });

    expect((await resendOnce()).status).toBe(200);
    const replayed = await resendOnce();
    expect(replayed.status).toBe(200);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(twin.mail.sentTo(email).filter((mail) => mail.kind === 'invitation')).toHaveLength(2);

    const log = await api(twin.url, 'GET', '/v1/audit-log?action=person.invitation-resent', { key: admin });
    expect(log.status).toBe(200);
    expect(log.body.items).toEqual([
      expect.objectContaining({
        action: 'person.invitation-resent',
        actor: { type: 'person', personId: resender.personId },
        target: { type: 'person', id: invited.body.personId },
        summary: { role: 'supervisor' },
      }),
    ]);
    // A second resend (a new key) is a second mail, and a second entry.
    const again = await api(twin.url, 'POST', `/v1/people/${invited.body.personId}/invitation`, { key: admin });
    expect(again.status).toBe(200);
    const afterAgain = await api(twin.url, 'GET', `/v1/audit-log?action=person.invitation-resent`, { key: admin });
    expect(afterAgain.body.items.map((entry: { actor: { type: string } }) => entry.actor.type)).toEqual(['api-key', 'person']);
  });

  it("an address the twin's mail service refuses (refused.example) answers 422 mail-refused at $.email, and nothing is stored or mailed", async () => {
    const { apiKey: admin } = await createTenant(twin);
    const email = `ana.${unique()}@refused.example`;
    const refused = await api(twin.url, 'POST', '/v1/people', { key: admin, body: { email, role: 'agent' } });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body).toMatchObject({ type: '/problems/mail-refused', errors: [{ path: '$.email', message: expect.any(String) }] });
    expect(twin.mail.sentTo(email)).toEqual([]);
    const people = await api(twin.url, 'GET', '/v1/people', { key: admin });
    expect(people.body.items.map((person: { email: string }) => person.email)).not.toContain(email);
    const log = await api(twin.url, 'GET', '/v1/audit-log?action=person.invited', { key: admin });
    expect(log.body.items).toEqual([]);
  });

  it('deactivated cannot call the API with a token they still hold; reactivated can again', async () => {
    const { apiKey: admin } = await createTenant(twin);
    const agent = await signedInPerson(admin, 'agent');
    const deactivated = await api(twin.url, 'POST', `/v1/people/${agent.personId}/deactivate`, { key: admin });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.state).toBe('deactivated');
    expect(accountOf(agent.email).enabled).toBe(false);
    expect((await api(twin.url, 'GET', '/v1/me', { key: agent.token })).status).toBe(401);
    // A token issued after the deactivation (as if the issuer still issued one) is refused too: the table says deactivated.
    const later = resigned(agent.token, { iat: nowSeconds() + 2, jti: `later-${unique()}` });
    expect((await api(twin.url, 'GET', '/v1/me', { key: later })).status).toBe(401);
    await expect(signInPerson(twin, agent.email, { newBrowser: true })).rejects.toThrow(/answered 400/);

    expect((await api(twin.url, 'POST', `/v1/people/${agent.personId}/reactivate`, { key: admin })).body.state).toBe('active');
    expect(accountOf(agent.email).enabled).toBe(true);
    await nextSecond();
    const again = await signInPerson(twin, agent.email, { newBrowser: true });
    expect((await api(twin.url, 'GET', '/v1/me', { key: again.accessToken })).status).toBe(200);
  });

  it('sign out everywhere: every token issued before is refused, a new sign-in works; a key cannot', async () => {
    const { apiKey: admin } = await createTenant(twin);
    const agent = await signedInPerson(admin, 'agent');
    expect((await api(twin.url, 'POST', '/v1/me/sign-out-everywhere', { key: admin })).status).toBe(403);
    expect(accountOf(agent.email).signedOutAt).toBeUndefined();
    expect((await api(twin.url, 'POST', '/v1/me/sign-out-everywhere', { key: agent.token })).status).toBe(204);
    expect(accountOf(agent.email).signedOutAt).toBeGreaterThan(Date.now() - 60_000);
    expect((await api(twin.url, 'GET', '/v1/me', { key: agent.token })).status).toBe(401);
    const refresh = await fetch(`${twin.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'switchboard-console', refresh_token: agent.refreshToken }).toString(),
    });
    expect(refresh.status).toBe(400);
    await nextSecond();
    const again = await signInPerson(twin, agent.email);
    expect((await api(twin.url, 'GET', '/v1/me', { key: again.accessToken })).status).toBe(200);
  });

  it('tokens that are forged, expired or of another client are anonymous', async () => {
    const { apiKey: admin } = await createTenant(twin);
    const agent = await signedInPerson(admin, 'agent');
    // Re-signed with the issuer's key and nothing changed, a token still works: what the others break is what refuses them.
    expect((await api(twin.url, 'GET', '/v1/me', { key: resigned(agent.token, {}) })).status).toBe(200);
    const past = nowSeconds() - 7200;
    const forger = { ...newSigningKey(), kid: twin.oidc.key.kid };
    for (const token of [
      signJwt(forger, claimsOf(agent.token)),
      signJwt(newSigningKey(), claimsOf(agent.token)),
      resigned(agent.token, { iat: past, auth_time: past, exp: past + 3600 }),
      resigned(agent.token, { client_id: 'another-app' }),
      resigned(agent.token, { token_use: 'id' }),
      agent.idToken,
      resigned(agent.token, { iss: 'https://elsewhere.example' }),
    ]) {
      const answer = await api(twin.url, 'GET', '/v1/me', { key: token });
      expect(answer.status).toBe(401);
      expect(answer.body.type).toBe('/problems/unauthorized');
    }
  });

  it("a person of another tenant, even its admin, reaches none of this tenant's people or data", async () => {
    const a = await createTenant(twin);
    const aPerson = await signedInPerson(a.apiKey, 'supervisor');
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: a.apiKey, body: { displayName: 'Secret A customer' } });
    const b = await createTenant(twin, { name: 'Other Co' });
    const bAdmin = await signedInPerson(b.apiKey, 'admin');
    for (const [method, path, body] of [
      ['GET', `/v1/people/${aPerson.personId}`],
      ['PATCH', `/v1/people/${aPerson.personId}`, { role: 'viewer' }],
      ['POST', `/v1/people/${aPerson.personId}/deactivate`],
      ['GET', `/v1/customers/${customer.body.customerId}`],
    ] as const) {
      const answer = await api(twin.url, method, path, { key: bAdmin.token, body, headers: { 'if-match': '*' } });
      expect(answer.status, `${method} ${path}`).toBe(404);
    }
    const listed = await api(twin.url, 'GET', '/v1/people', { key: bAdmin.token });
    expect(JSON.stringify(listed.body)).not.toContain(aPerson.personId);
    expect((await api(twin.url, 'GET', '/v1/me', { key: aPerson.token })).body.principal.role).toBe('supervisor');
  });

  it('a supervisor, person or key, handles cases but reaches no keys, settings changes, webhooks, audit log or people', async () => {
    const { apiKey: admin } = await createTenant(twin);
    const supervisor = await signedInPerson(admin, 'supervisor');
    const supervisorKey = (await api(twin.url, 'POST', '/v1/api-keys', { key: admin, body: { name: 'Team lead', scopes: ['supervisor'] } })).body.secret as string;
    for (const credential of [supervisor.token, supervisorKey]) {
      expect((await api(twin.url, 'GET', '/v1/cases', { key: credential })).status).toBe(200);
      expect((await api(twin.url, 'GET', '/v1/settings', { key: credential })).status).toBe(200);
      for (const [method, path, body] of [
        ['GET', '/v1/api-keys'],
        ['POST', '/v1/api-keys', { name: 'x', scopes: ['agent'] }],
        ['PATCH', '/v1/settings', { locale: 'en' }],
        ['GET', '/v1/webhooks'],
        ['GET', '/v1/audit-log'],
        ['GET', '/v1/people'],
        ['POST', '/v1/people', { email: `x.${unique()}@acme.test`, role: 'admin' }],
      ] as const) {
        const refused = await api(twin.url, method, path, { key: credential, body, headers: { 'if-match': '*' } });
        expect(refused.status, `${method} ${path}`).toBe(403);
      }
    }
  });

  it('end to end on the twin: invited by mail, signs in with the temporary password, a new one and TOTP, is who they are, signs out everywhere, deactivated cannot sign in', async () => {
    const { apiKey: admin, tenant } = await createTenant(twin);
    const email = `whole.path.${unique()}@acme.test`;
    const invited = await invite(admin, { email, role: 'supervisor', displayName: 'Whole Path' });

    const outbox = await fetch(`${twin.url}/local/mail/outbox?to=${encodeURIComponent(email)}`);
    expect(outbox.status).toBe(200);
    const [mail] = ((await outbox.json()) as { items: { kind?: string; text: string; tenantId?: string }[] }).items;
    expect(mail).toMatchObject({ kind: 'invitation', tenantId: tenant.tenantId });
    const temporary = temporaryPasswordIn(mail?.text);
    expect(temporary).toBeDefined();

    const browser = new FormBrowser(twin.url);
    const chosen = 'Chosen-By-Whole-Path-7';
    const tokens = await signInThroughPages(twin, browser, email, temporary!, { newPassword: chosen });
    expect(accountOf(email)).toMatchObject({ passwordTemporary: false, totpEnrolled: true });
    expect(claimsOf(tokens.accessToken)).toMatchObject({ iss: twin.issuer, sub: accountOf(email).sub, client_id: 'switchboard-console', token_use: 'access' });

    const me = await api(twin.url, 'GET', '/v1/me', { key: tokens.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      principal: { kind: 'person', personId: invited.personId, role: 'supervisor', displayName: 'Whole Path' },
      scopes: ['supervisor'],
      tenant: { tenantId: tenant.tenantId },
    });

    expect((await api(twin.url, 'POST', '/v1/me/sign-out-everywhere', { key: tokens.accessToken })).status).toBe(204);
    const refused = await api(twin.url, 'GET', '/v1/me', { key: tokens.accessToken });
    expect(refused.status).toBe(401);
    expect(refused.body.type).toBe('/problems/unauthorized');

    expect((await api(twin.url, 'POST', `/v1/people/${invited.personId}/deactivate`, { key: admin })).status).toBe(200);
    await expect(signInThroughPages(twin, new FormBrowser(twin.url), email, chosen)).rejects.toThrow(/answered 400/);
    // The temporary password is gone with the first sign-in.
    expect(twin.identity.checkPassword(email, temporary!).status).toBe('wrong');
  });
});

describe("the identity directory (the functions' Cognito adapter) on the twin's emulation", () => {
  it('creates an account once by e-mail, then disables, enables, signs out and sets passwords by its sub or its e-mail, as an e-mail-alias pool does', async () => {
    const directory = identityDirectory();
    const email = `Directory.${unique()}@Acme.test`;
    const created = await directory.createAccount({ email, password: 'Temporary-Pass-1', temporary: true });
    expect(created.created).toBe(true);
    expect(created.subject).toBe(accountOf(email).sub);
    expect(accountOf(email)).toMatchObject({ email: email.toLowerCase(), passwordTemporary: true, enabled: true, emailVerified: true });
    expect(await directory.createAccount({ email: email.toLowerCase(), password: 'Another-Pass-2', temporary: false })).toEqual({ subject: created.subject, created: false });
    expect(twin.identity.checkPassword(email, 'Temporary-Pass-1').status).toBe('ok');

    await directory.disableAccount(created.subject);
    expect(accountOf(email).enabled).toBe(false);
    await directory.enableAccount(created.subject);
    expect(accountOf(email).enabled).toBe(true);
    await directory.signOutEverywhere(created.subject);
    expect(accountOf(email).signedOutAt).toBeGreaterThan(Date.now() - 60_000);

    await directory.setPassword({ email, password: 'Permanent-Pass-3', temporary: false });
    expect(accountOf(email).passwordTemporary).toBe(false);
    expect(twin.identity.checkPassword(email, 'Permanent-Pass-3').status).toBe('ok');
    await directory.setPassword({ email, password: 'Temporary-Pass-4', temporary: true });
    expect(accountOf(email).passwordTemporary).toBe(true);

    // The same calls with the e-mail as the Username, and with one that names nobody.
    const cognito = cognitoClient();
    try {
      const pool = process.env.PEOPLE_USER_POOL_ID;
      await cognito.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: email.toLowerCase() }));
      expect(accountOf(email).enabled).toBe(false);
      await cognito.send(new AdminEnableUserCommand({ UserPoolId: pool, Username: email.toLowerCase() }));
      expect(accountOf(email).enabled).toBe(true);
      for (const username of [created.subject, email.toLowerCase()]) {
        const got = await cognito.send(new AdminGetUserCommand({ UserPoolId: pool, Username: username }));
        expect(got.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value).toBe(created.subject);
      }
      await expect(cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool, Username: `nobody.${unique()}@acme.test` }))).rejects.toBeInstanceOf(UserNotFoundException);
      await expect(directory.disableAccount('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(UserNotFoundException);
    } finally {
      cognito.destroy();
    }
    await expect(directory.createAccount({ email: `weak.${unique()}@acme.test`, password: 'short', temporary: true })).rejects.toBeInstanceOf(InvalidPasswordException);
  });
});

describe('self-service sign-up', () => {
  const signupBody = (email: string) => ({ businessName: 'Acme Florist', timezone: 'Asia/Taipei', country: 'TW', locale: 'zh-TW', adminEmail: email });
  const tokenIn = (text: string | undefined) => /\/signup\/verify\?token=([A-Za-z0-9_-]{43})/.exec(text ?? '')?.[1];

  it('mails a link; verifying it makes a trial tenant without an SMS sender, whose admin signs in', async () => {
    const email = `owner.${unique()}@florist.test`;
    const started = await api(twin.url, 'POST', '/v1/signups', { body: signupBody(email) });
    expect(started.status).toBe(202);
    const token = tokenIn(mailTo(email, 'signup-verification')?.text);
    expect(token).toBeDefined();

    const weak = await api(twin.url, 'POST', '/v1/signups/verify', { body: { token, password: 'short' } });
    expect(weak.status).toBe(400);
    const verified = await api(twin.url, 'POST', '/v1/signups/verify', { body: { token, password: 'Correct-Horse-42', displayName: 'Ms Chen' } });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.state).toBe('completed');
    expect(accountOf(email)).toMatchObject({ passwordTemporary: false, enabled: true });

    // The new admin signs in on the issuer's pages with the password they chose, as it is.
    const tokens = await signInThroughPages(twin, new FormBrowser(twin.url), email, 'Correct-Horse-42');
    const me = await api(twin.url, 'GET', '/v1/me', { key: tokens.accessToken });
    expect(me.body).toMatchObject({ principal: { kind: 'person', role: 'admin', displayName: 'Ms Chen' }, tenant: { tenantId: verified.body.tenantId, name: 'Acme Florist', locale: 'zh-TW' } });
    const tenant = await api(twin.url, 'GET', `/v1/operator/tenants/${verified.body.tenantId}`, { key: twin.operatorKey });
    expect(tenant.body).toMatchObject({ plan: 'trial', state: 'active' });
    expect(tenant.body.allocations.smsOriginationIdentities).toEqual([]);

    const used = await api(twin.url, 'POST', '/v1/signups/verify', { body: { token, password: 'Correct-Horse-42' } });
    expect(used.status).toBe(400);
    expect(used.body.type).toBe('/problems/signup-link-invalid');
  });

  it('signing up twice with one address makes one business: the first link stops working, and afterwards a reminder is mailed', async () => {
    const email = `twice.${unique()}@florist.test`;
    expect((await api(twin.url, 'POST', '/v1/signups', { body: signupBody(email) })).status).toBe(202);
    const first = tokenIn(mailTo(email)?.text);
    expect((await api(twin.url, 'POST', '/v1/signups', { body: signupBody(email) })).status).toBe(202);
    const second = tokenIn(mailTo(email)?.text);
    expect(second).not.toBe(first);
    expect((await api(twin.url, 'POST', '/v1/signups/verify', { body: { token: first, password: 'Correct-Horse-42' } })).status).toBe(400);
    const verified = await api(twin.url, 'POST', '/v1/signups/verify', { body: { token: second, password: 'Correct-Horse-42' } });
    expect(verified.status).toBe(200);

    const mailsBefore = twin.mail.sentTo(email, 500).length;
    expect((await api(twin.url, 'POST', '/v1/signups', { body: signupBody(email) })).status).toBe(202);
    expect(twin.mail.sentTo(email, 500).length).toBe(mailsBefore + 1);
    expect(tokenIn(mailTo(email)?.text)).toBeUndefined();
    const completed = await api(twin.url, 'GET', '/v1/operator/signups?state=completed&limit=100', { key: twin.operatorKey });
    expect(completed.body.items.filter((signup: { adminEmail: string }) => signup.adminEmail === email)).toHaveLength(1);
  });

  it('with approval required, waits for the operator, who approves (the admin is mailed) or rejects', async () => {
    process.env.SIGNUP_REQUIRES_APPROVAL = 'true';
    const email = `approve.${unique()}@florist.test`;
    await api(twin.url, 'POST', '/v1/signups', { body: signupBody(email) });
    const verified = await api(twin.url, 'POST', '/v1/signups/verify', { body: { token: tokenIn(mailTo(email)?.text), password: 'Correct-Horse-42' } });
    expect(verified.body).toMatchObject({ state: 'awaiting-approval' });
    // The account exists (the password was chosen) but names no person until the operator approves.
    const waitingToken = (await signInThroughPages(twin, new FormBrowser(twin.url), email, 'Correct-Horse-42')).accessToken;
    expect((await api(twin.url, 'GET', '/v1/me', { key: waitingToken })).status).toBe(401);

    const waiting = await api(twin.url, 'GET', '/v1/operator/signups', { key: twin.operatorKey });
    const signup = waiting.body.items.find((item: { adminEmail: string }) => item.adminEmail === email);
    expect(signup).toMatchObject({ state: 'awaiting-approval' });
    expect((await api(twin.url, 'POST', `/v1/operator/signups/${signup.signupId}/approve`, { key: 'not-the-operator' })).status).toBe(401);

    const approved = await api(twin.url, 'POST', `/v1/operator/signups/${signup.signupId}/approve`, { key: twin.operatorKey });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'completed', tenantId: expect.stringMatching(/^ten_/) });
    expect(mailTo(email, 'signup-approved')?.subject).toContain('Acme Florist');
    const approvedToken = (await signInThroughPages(twin, new FormBrowser(twin.url), email, 'Correct-Horse-42')).accessToken;
    expect((await api(twin.url, 'GET', '/v1/me', { key: approvedToken })).body.tenant.tenantId).toBe(approved.body.tenantId);
    expect((await api(twin.url, 'POST', `/v1/operator/signups/${signup.signupId}/approve`, { key: twin.operatorKey })).body.tenantId).toBe(approved.body.tenantId);
    const lateReject = await api(twin.url, 'POST', `/v1/operator/signups/${signup.signupId}/reject`, { key: twin.operatorKey, body: { reason: 'Too late' } });
    expect(lateReject.status).toBe(409);
    expect(lateReject.body.type).toBe('/problems/signup-decided');

    const other = `reject.${unique()}@florist.test`;
    await api(twin.url, 'POST', '/v1/signups', { body: signupBody(other) });
    await api(twin.url, 'POST', '/v1/signups/verify', { body: { token: tokenIn(mailTo(other)?.text), password: 'Correct-Horse-42' } });
    const pending = (await api(twin.url, 'GET', '/v1/operator/signups', { key: twin.operatorKey })).body.items.find((item: { adminEmail: string }) => item.adminEmail === other);
    const rejected = await api(twin.url, 'POST', `/v1/operator/signups/${pending.signupId}/reject`, { key: twin.operatorKey, body: { reason: 'Not a business' } });
    expect(rejected.body).toMatchObject({ state: 'rejected', rejectionReason: 'Not a business' });
    const rejectedToken = (await signInThroughPages(twin, new FormBrowser(twin.url), other, 'Correct-Horse-42')).accessToken;
    expect((await api(twin.url, 'GET', '/v1/me', { key: rejectedToken })).status).toBe(401);
  });
});
