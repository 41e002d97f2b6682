import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AwsErrorAnswer, type FaultyTwin, startFaultyTwin } from '../support/faults';
import { signInPerson } from '../support/people-sign-in';
import { api, createTenant } from '../support/twin';
import { uniqueDigits } from '../support/waiting';

/**
 * The people side when Amazon SES or Cognito fail (issue 13): the twin's SES v2 and Cognito admin
 * emulations behind the fault proxy, answering in AWS's wire format, so the ports meet the real
 * exception classes and SDK retries. What an admin sees, what is left stored, and that a retry
 * (or "resend invitation") completes the job; and what a person sees when the issuer's keys (JWKS)
 * cannot be read.
 */

let twin: FaultyTwin;
let adminKey: string;
beforeAll(async () => {
  twin = await startFaultyTwin();
  adminKey = (await createTenant(twin)).apiKey;
});
afterAll(() => twin.close());
afterEach(() => twin.faults.clear());

const throttled: AwsErrorAnswer = { type: 'TooManyRequestsException', status: 429, message: 'Maximum sending rate exceeded' };
const suppressed: AwsErrorAnswer = { type: 'MessageRejected', message: 'Email address is on the suppression list for your account' };
const cognitoBusy: AwsErrorAnswer = { type: 'TooManyRequestsException', message: 'Too many requests' };

const newAddress = () => `mei.${uniqueDigits()}@acme.test`;
const invite = (email: string, idempotencyKey = `invite-${email}`) =>
  api(twin.url, 'POST', '/v1/people', { key: adminKey, body: { email, role: 'agent' }, headers: { 'idempotency-key': idempotencyKey } });
const resend = (personId: string, idempotencyKey = `resend-${uniqueDigits()}`) =>
  api(twin.url, 'POST', `/v1/people/${personId}/invitation`, { key: adminKey, headers: { 'idempotency-key': idempotencyKey } });
const invitations = (email: string) => twin.mail.sentTo(email, 500).filter((mail) => mail.kind === 'invitation');
const temporaryPasswordIn = (text: string) => /(?:temporary password|臨時密碼)[:：]\s*(\S+)/.exec(text)?.[1];

async function peopleWith(email: string) {
  const listed = await api(twin.url, 'GET', '/v1/people?limit=100', { key: adminKey });
  expect(listed.status).toBe(200);
  return (listed.body.items as { email: string; personId: string; state: string }[]).filter((person) => person.email === email);
}

describe('SES fails while inviting a person', () => {
  it('throttled: the admin gets 503 with Retry-After, no person is stored, and the same request later invites them once', async () => {
    const email = newAddress();
    twin.faults.inject({ operation: 'SendEmail', bodyIncludes: email, times: Infinity, answer: throttled });
    const refused = await invite(email);
    expect(refused.status).toBe(503);
    expect(refused.body.type).toBe('/problems/temporarily-unavailable');
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(twin.faults.count('SendEmail', email)).toBeGreaterThan(1); // the SDK retried before giving up
    expect(await peopleWith(email)).toEqual([]);
    expect(invitations(email)).toEqual([]);
    // What is left: a sign-in account without a person, which signs nobody in and which the retry takes over.
    expect(twin.identity.findByEmail(email)).toBeDefined();

    twin.faults.clear();
    const retried = await invite(email);
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(await peopleWith(email)).toEqual([expect.objectContaining({ personId: retried.body.personId, state: 'invited' })]);
    expect(invitations(email)).toHaveLength(1);
    expect(twin.identity.findByEmail(email)).toMatchObject({ sub: expect.any(String), passwordTemporary: true });
  });

  it('refused (a suppressed address): the admin gets 422 mail-refused at $.email, and nothing is stored or mailed', async () => {
    const email = newAddress();
    twin.faults.inject({ operation: 'SendEmail', bodyIncludes: email, times: Infinity, answer: suppressed });
    const refused = await invite(email);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: '/problems/mail-refused', errors: [{ path: '$.email' }] });
    expect(twin.faults.count('SendEmail', email)).toBe(1); // not retried: it cannot help
    expect(await peopleWith(email)).toEqual([]);
    expect(invitations(email)).toEqual([]);
  });
});

describe('resending an invitation', () => {
  it('mails a new temporary password, the old one no longer valid; the same Idempotency-Key mails nothing again', async () => {
    const email = newAddress();
    const invited = await invite(email);
    expect(invited.status).toBe(201);
    const first = temporaryPasswordIn(invitations(email)[0]!.text);
    expect(first).toBeDefined();

    const key = `resend-${email}`;
    const resent = await resend(invited.body.personId, key);
    expect(resent.status, JSON.stringify(resent.body)).toBe(200);
    expect(resent.body).toMatchObject({ personId: invited.body.personId, state: 'invited' });
    expect(invitations(email)).toHaveLength(2);
    const second = temporaryPasswordIn(invitations(email)[0]!.text);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(twin.identity.checkPassword(email, first!).status).not.toBe('ok');
    expect(twin.identity.checkPassword(email, second!).status).not.toBe('wrong');

    const replayed = await resend(invited.body.personId, key);
    expect(replayed.status).toBe(200);
    expect(invitations(email)).toHaveLength(2);
  });

  it('after SES throttled or refused the resend, the person is still invited and a later resend reaches them', async () => {
    const email = newAddress();
    const invited = await invite(email);
    expect(invited.status).toBe(201);
    const throttling = twin.faults.inject({ operation: 'SendEmail', bodyIncludes: email, times: Infinity, answer: throttled });
    expect((await resend(invited.body.personId)).status).toBe(503);
    twin.faults.clear(throttling);
    twin.faults.inject({ operation: 'SendEmail', bodyIncludes: email, times: 1, answer: suppressed });
    const refused = await resend(invited.body.personId);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: '/problems/mail-refused', errors: [{ path: '$.personId' }] });
    expect(await peopleWith(email)).toEqual([expect.objectContaining({ state: 'invited' })]);

    expect((await resend(invited.body.personId)).status).toBe(200);
    expect(invitations(email)).toHaveLength(2);
    // Only the resend that reached the mail service is in the audit log: the throttled and the refused one wrote none.
    const log = await api(twin.url, 'GET', '/v1/audit-log?action=person.invitation-resent', { key: adminKey });
    expect(log.body.items.filter((entry: { target: { id: string } }) => entry.target.id === invited.body.personId)).toHaveLength(1);
  });

  it('refuses a person who has signed in (409), sending nothing', async () => {
    const email = newAddress();
    const invited = await invite(email);
    const token = (await signInPerson(twin, email)).accessToken;
    expect((await api(twin.url, 'GET', '/v1/me', { key: token })).status).toBe(200);
    const refused = await resend(invited.body.personId);
    expect(refused.status).toBe(409);
    expect(invitations(email)).toHaveLength(1);
  });
});

describe('Cognito or DynamoDB fail in the middle of an invitation', () => {
  it('Cognito busy creating the account: 503, and nothing at all is left; the retry invites', async () => {
    const email = newAddress();
    twin.faults.inject({ operation: 'AdminCreateUser', bodyIncludes: email, times: Infinity, answer: cognitoBusy });
    const refused = await invite(email);
    expect(refused.status).toBe(503);
    expect(twin.identity.findByEmail(email)).toBeUndefined();
    expect(await peopleWith(email)).toEqual([]);
    expect(invitations(email)).toEqual([]);

    twin.faults.clear();
    expect((await invite(email)).status).toBe(201);
    expect(await peopleWith(email)).toHaveLength(1);
  });

  it('storing the person fails after the mail went out: 503; the retry stores one person and mails a new password that works', async () => {
    const email = newAddress();
    twin.faults.inject({ operation: 'TransactWriteItems', bodyIncludes: email, times: Infinity, answer: { type: 'ProvisionedThroughputExceededException', message: 'Throughput exceeded' } });
    const refused = await invite(email);
    expect(refused.status).toBe(503);
    expect(await peopleWith(email)).toEqual([]);
    expect(invitations(email)).toHaveLength(1);
    const firstPassword = temporaryPasswordIn(invitations(email)[0]!.text)!;

    twin.faults.clear();
    const retried = await invite(email);
    expect(retried.status).toBe(201);
    expect(await peopleWith(email)).toHaveLength(1);
    // The first mail's password was replaced: the second mail is the one that signs in.
    expect(invitations(email)).toHaveLength(2);
    const secondPassword = temporaryPasswordIn(invitations(email)[0]!.text)!;
    expect(twin.identity.checkPassword(email, firstPassword).status).toBe('wrong');
    expect(twin.identity.checkPassword(email, secondPassword).status).not.toBe('wrong');
  });
});

describe('SES fails while mailing a sign-up its verification link', () => {
  const signupBody = (adminEmail: string) => ({ businessName: 'Lin Florist', timezone: 'Asia/Taipei', country: 'TW', locale: 'en', adminEmail });
  const linkTokenIn = (text: string) => /\/signup\/verify\?token=([A-Za-z0-9_-]{43})/.exec(text)?.[1];

  it('throttled: 503; signing up again mails a link that verifies, and one business is made', async () => {
    const email = `owner.${uniqueDigits()}@florist.test`;
    twin.faults.inject({ operation: 'SendEmail', bodyIncludes: email, times: Infinity, answer: throttled });
    const refused = await api(twin.url, 'POST', '/v1/signups', { body: signupBody(email) });
    expect(refused.status).toBe(503);
    expect(twin.mail.sentTo(email)).toEqual([]);

    twin.faults.clear();
    expect((await api(twin.url, 'POST', '/v1/signups', { body: signupBody(email) })).status).toBe(202);
    const token = linkTokenIn(twin.mail.sentTo(email)[0]!.text);
    expect(token).toBeDefined();
    const verified = await api(twin.url, 'POST', '/v1/signups/verify', { body: { token, password: 'Correct-Horse-42' } });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.state).toBe('completed');
  });

  it('refused: 422 mail-refused at $.adminEmail, not 202 for a mail that never left', async () => {
    const email = `owner.${uniqueDigits()}@florist.test`;
    twin.faults.inject({ operation: 'SendEmail', bodyIncludes: email, times: Infinity, answer: suppressed });
    const refused = await api(twin.url, 'POST', '/v1/signups', { body: signupBody(email) });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: '/problems/mail-refused', errors: [{ path: '$.adminEmail' }] });
  });
});

describe("the authorizer cannot read the issuer's keys (JWKS)", () => {
  it('a person gets 401 (the console signs them in again), API keys keep working, and people are let in again once the keys can be read', async () => {
    const email = newAddress();
    expect((await invite(email)).status).toBe(201);
    const token = (await signInPerson(twin, email)).accessToken;
    const jwksUri = process.env.PEOPLE_JWKS_URI!;
    try {
      // A port nothing listens on: the fetch fails at once, as when the issuer is unreachable.
      process.env.PEOPLE_JWKS_URI = 'http://127.0.0.1:9/oidc/.well-known/jwks.json';
      const refused = await api(twin.url, 'GET', '/v1/me', { key: token });
      expect(refused.status).toBe(401);
      expect(refused.body.type).toBe('/problems/unauthorized');
      expect((await api(twin.url, 'GET', '/v1/me', { key: adminKey })).status).toBe(200);
    } finally {
      process.env.PEOPLE_JWKS_URI = jwksUri;
    }
    const me = await api(twin.url, 'GET', '/v1/me', { key: token });
    expect(me.status).toBe(200);
    expect(me.body.principal).toMatchObject({ kind: 'person', email });
  });
});
