import { createSign, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the people's side of AWS in tests, until the twin emulates it itself: the few
 * Cognito admin calls the identity directory makes (AWS JSON 1.1), SES v2 SendEmail with an
 * outbox, and an issuer of RS256 access tokens shaped like Cognito's, with its JWKS. It points the
 * functions' environment (COGNITO_ENDPOINT, MAIL_ENDPOINT, PEOPLE_*) at itself, so the functions'
 * own adapters and the authorizer's verifier run unchanged.
 */
export interface SentMail {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  kind?: string;
  tenantId?: string;
}

interface Account {
  sub: string;
  email: string;
  password: string;
  permanent: boolean;
  enabled: boolean;
  globalSignOuts: number;
}

export interface TestPeopleIdentity {
  url: string;
  issuer: string;
  clientId: string;
  outbox: SentMail[];
  accounts: Map<string, Account>;
  /** The newest mail to `to` (of `kind`, when given). */
  lastMailTo(to: string, kind?: string): SentMail | undefined;
  /** An access token for the account of `email`, as the issuer would give at sign-in; `claims` override. */
  accessToken(email: string, claims?: Record<string, unknown>): string;
  /** A token signed with a key the JWKS does not hold. */
  forgedToken(email: string): string;
  close(): Promise<void>;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startTestPeopleIdentity(): Promise<TestPeopleIdentity> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const accounts = new Map<string, Account>();
  const outbox: SentMail[] = [];
  const clientId = 'switchboard-console';

  const accountNamed = (username: string) => accounts.get(username.toLowerCase()) ?? [...accounts.values()].find((account) => account.sub === username);

  const cognitoError = (response: ServerResponse, type: string, message: string) => {
    response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
    response.end(JSON.stringify({ __type: type, message }));
  };

  const cognito = (target: string, input: Record<string, unknown>, response: ServerResponse) => {
    const username = String(input.Username ?? '');
    const answer = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(body));
    };
    const attributes = (account: Account) => [
      { Name: 'sub', Value: account.sub },
      { Name: 'email', Value: account.email },
      { Name: 'email_verified', Value: 'true' },
    ];
    if (target === 'AdminCreateUser') {
      if (accountNamed(username)) return cognitoError(response, 'UsernameExistsException', 'An account with the given email already exists.');
      const account = { sub: randomUUID(), email: username.toLowerCase(), password: String(input.TemporaryPassword), permanent: false, enabled: true, globalSignOuts: 0 };
      accounts.set(account.email, account);
      return answer({ User: { Username: account.sub, Attributes: attributes(account), Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' } });
    }
    const account = accountNamed(username);
    if (!account) return cognitoError(response, 'UserNotFoundException', 'User does not exist.');
    switch (target) {
      case 'AdminGetUser':
        return answer({ Username: account.sub, UserAttributes: attributes(account), Enabled: account.enabled });
      case 'AdminSetUserPassword':
        account.password = String(input.Password);
        account.permanent = input.Permanent === true;
        return answer({});
      case 'AdminDisableUser':
        account.enabled = false;
        return answer({});
      case 'AdminEnableUser':
        account.enabled = true;
        return answer({});
      case 'AdminUserGlobalSignOut':
        account.globalSignOuts += 1;
        return answer({});
      default:
        return cognitoError(response, 'InvalidParameterException', `Not emulated: ${target}`);
    }
  };

  const server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '').split('?')[0];
      const body = await bodyOf(request);
      const target = request.headers['x-amz-target'];
      if (request.method === 'POST' && typeof target === 'string' && target.startsWith('AWSCognitoIdentityProviderService.')) {
        return cognito(target.split('.')[1]!, JSON.parse(body || '{}') as Record<string, unknown>, response);
      }
      if (request.method === 'POST' && path === '/v2/email/outbound-emails') {
        const input = JSON.parse(body) as {
          FromEmailAddress: string;
          Destination: { ToAddresses: string[] };
          Content: { Simple: { Subject: { Data: string }; Body: { Text: { Data: string } } } };
          EmailTags?: { Name: string; Value: string }[];
        };
        const tag = (name: string) => input.EmailTags?.find((candidate) => candidate.Name === name)?.Value;
        const messageId = randomUUID();
        outbox.unshift({
          messageId,
          from: input.FromEmailAddress,
          to: input.Destination.ToAddresses[0]!,
          subject: input.Content.Simple.Subject.Data,
          text: input.Content.Simple.Body.Text.Data,
          kind: tag('kind'),
          tenantId: tag('tenant'),
        });
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(JSON.stringify({ MessageId: messageId }));
      }
      if (request.method === 'GET' && path === '/jwks.json') {
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] }));
      }
      response.writeHead(404).end();
    })().catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Shared by a whole test file when started by ensureTestPeopleIdentity: it must not keep the worker alive.
  server.unref();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${url}/issuer`;

  Object.assign(process.env, {
    COGNITO_ENDPOINT: url,
    PEOPLE_USER_POOL_ID: 'local_people',
    MAIL_ENDPOINT: url,
    MAIL_FROM: 'Switchboard <no-reply@switchboard.test>',
    PEOPLE_TOKEN_ISSUER: issuer,
    PEOPLE_JWKS_URI: `${url}/jwks.json`,
    PEOPLE_CLIENT_ID: clientId,
  });

  const sign = (email: string, key: typeof privateKey, claims: Record<string, unknown>) => {
    const account = accountNamed(email);
    if (!account) throw new Error(`No account for ${email}`);
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', kid, typ: 'JWT' };
    const payload = {
      iss: issuer,
      sub: account.sub,
      client_id: clientId,
      token_use: 'access',
      scope: 'openid email profile',
      auth_time: now,
      iat: now,
      exp: now + 3600,
      jti: randomUUID(),
      origin_jti: randomUUID(),
      username: account.sub,
      ...claims,
    };
    const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    return `${signed}.${createSign('RSA-SHA256').update(signed).sign(key).toString('base64url')}`;
  };

  return {
    url,
    issuer,
    clientId,
    outbox,
    accounts,
    lastMailTo: (to, kind) => outbox.find((mail) => mail.to === to && (kind === undefined || mail.kind === kind)),
    accessToken: (email, claims = {}) => sign(email, privateKey, claims),
    forgedToken: (email) => sign(email, forger.privateKey, {}),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let shared: Promise<TestPeopleIdentity> | undefined;

/** One people identity for the test file (its env set once), for areas and recipes that need people without owning a server. */
export function ensureTestPeopleIdentity(): Promise<TestPeopleIdentity> {
  shared ??= startTestPeopleIdentity();
  return shared;
}
