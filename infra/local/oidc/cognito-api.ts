import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type Account, type IdentityStore, type PasswordRule, brokenPasswordRules } from './user-store';

/**
 * The Cognito user-pool admin API the functions call (shared/ports/identity-directory.ts), AWS
 * JSON 1.1 with `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`, over the local issuer's
 * user store, so that the same accounts sign in on its pages. Only these operations, and only as
 * Switchboard uses them: AdminCreateUser (MessageAction SUPPRESS), AdminGetUser,
 * AdminSetUserPassword, AdminDisableUser, AdminEnableUser, AdminUserGlobalSignOut.
 * Errors carry Cognito's `__type`, from which the SDK makes its exception classes.
 */

export const localUserPoolId = 'local_switchboard';

export class CognitoApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const ruleMessages: Record<PasswordRule, string> = {
  length: 'Password not long enough',
  uppercase: 'Password must have uppercase characters',
  lowercase: 'Password must have lowercase characters',
  digit: 'Password must have numeric characters',
};

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Input = Record<string, unknown>;

export function cognitoOperation(store: IdentityStore, operation: string, input: Input): Record<string, unknown> {
  if (input.UserPoolId !== localUserPoolId) {
    throw new CognitoApiError('ResourceNotFoundException', `User pool ${String(input.UserPoolId)} does not exist (the twin's pool is ${localUserPoolId}).`);
  }
  switch (operation) {
    case 'AdminCreateUser':
      return adminCreateUser(store, input);
    case 'AdminGetUser': {
      const account = existing(store, input);
      return { Username: account.sub, ...describe(account, 'UserAttributes'), ...mfa(account) };
    }
    case 'AdminSetUserPassword': {
      const account = existing(store, input);
      const password = requirePassword(input.Password, 'Password');
      store.setPassword(account.sub, password, input.Permanent !== true);
      return {};
    }
    case 'AdminDisableUser':
      store.setEnabled(existing(store, input).sub, false);
      return {};
    case 'AdminEnableUser':
      store.setEnabled(existing(store, input).sub, true);
      return {};
    case 'AdminUserGlobalSignOut':
      store.signOutEverywhere(existing(store, input).sub);
      return {};
    default:
      throw new CognitoApiError('UnknownOperationException', `The local twin does not emulate ${operation}`);
  }
}

function adminCreateUser(store: IdentityStore, input: Input): Record<string, unknown> {
  const username = input.Username;
  if (typeof username !== 'string' || !emailPattern.test(username)) {
    throw new CognitoApiError('InvalidParameterException', 'Username should be an email.');
  }
  if (input.MessageAction !== 'SUPPRESS') {
    throw new CognitoApiError('InvalidParameterException', 'The local twin emulates AdminCreateUser with MessageAction SUPPRESS only (Switchboard sends its own invitation).');
  }
  const attributes = Array.isArray(input.UserAttributes) ? (input.UserAttributes as { Name?: unknown; Value?: unknown }[]) : [];
  const attribute = (name: string) => attributes.find((candidate) => candidate.Name === name)?.Value;
  const email = attribute('email') ?? username;
  if (typeof email !== 'string' || email.trim().toLowerCase() !== username.trim().toLowerCase()) {
    throw new CognitoApiError('InvalidParameterException', 'The email attribute must be the Username in this pool.');
  }
  // Cognito makes a temporary password when none is given (it would mail it; here nobody learns it).
  const password = input.TemporaryPassword === undefined ? `Tmp-${randomBytes(12).toString('base64url')}-a1` : requirePassword(input.TemporaryPassword, 'TemporaryPassword');
  if (store.findByEmail(username)) throw new CognitoApiError('UsernameExistsException', 'An account with the given email already exists.');
  const { account } = store.create({ email: username, password, temporary: true, emailVerified: attribute('email_verified') === 'true' });
  return { User: { Username: account.sub, ...describe(account, 'Attributes'), MFAOptions: [] } };
}

function requirePassword(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new CognitoApiError('InvalidParameterException', `${field} is required by the local twin.`);
  const broken = brokenPasswordRules(value);
  if (broken.length > 0) throw new CognitoApiError('InvalidPasswordException', `Password does not conform to policy: ${ruleMessages[broken[0]!]}`);
  return value;
}

function existing(store: IdentityStore, input: Input): Account {
  const account = typeof input.Username === 'string' ? store.findByUsername(input.Username) : undefined;
  if (!account) throw new CognitoApiError('UserNotFoundException', 'User does not exist.');
  return account;
}

const epochSeconds = (iso: string) => new Date(iso).getTime() / 1000;

function describe(account: Account, attributesField: 'Attributes' | 'UserAttributes'): Record<string, unknown> {
  return {
    [attributesField]: [
      { Name: 'email', Value: account.email },
      { Name: 'email_verified', Value: String(account.emailVerified) },
      { Name: 'sub', Value: account.sub },
    ],
    UserCreateDate: epochSeconds(account.createdAt),
    UserLastModifiedDate: epochSeconds(account.updatedAt),
    Enabled: account.enabled,
    UserStatus: account.passwordTemporary ? 'FORCE_CHANGE_PASSWORD' : 'CONFIRMED',
  };
}

function mfa(account: Account): Record<string, unknown> {
  return account.totpEnrolled ? { PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA', UserMFASettingList: ['SOFTWARE_TOKEN_MFA'] } : {};
}

/** Answers one Cognito call on the emulator's port. */
export function serveCognitoApi(target: string, text: string, response: ServerResponse, store: IdentityStore): void {
  const contentType = 'application/x-amz-json-1.1';
  const send = (status: number, body: unknown) => {
    const json = JSON.stringify(body);
    response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(json) });
    response.end(json);
  };
  let input: Input;
  try {
    input = JSON.parse(text || '{}') as Input;
  } catch {
    return send(400, { __type: 'SerializationException', message: 'The request body is not JSON' });
  }
  try {
    send(200, cognitoOperation(store, target.slice('AWSCognitoIdentityProviderService.'.length), input));
  } catch (error) {
    if (!(error instanceof CognitoApiError)) throw error;
    send(400, { __type: error.type, message: error.message });
  }
}
