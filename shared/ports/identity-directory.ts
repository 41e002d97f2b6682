import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';

/**
 * People's sign-in accounts: an Amazon Cognito user pool per stage, shared by every tenant (the
 * tenant and role are Switchboard's, in its table, keyed by the account's `sub`). The account's
 * user name is the e-mail address, lower-cased. The local twin emulates the few admin calls used
 * here on its AWS emulator (COGNITO_ENDPOINT), backed by its local OIDC issuer's user store.
 */
export interface IdentityAccount {
  subject: string;
  created: boolean;
}

export interface IdentityDirectory {
  /** Creates the sign-in account for `email` (lowercased), or returns the existing one's subject (created: false). */
  createAccount(input: { email: string; password: string; temporary: boolean }): Promise<IdentityAccount>;
  /** Sets the account's password: temporary (changed at the next sign-in) or permanent. */
  setPassword(input: { email: string; password: string; temporary: boolean }): Promise<void>;
  disableAccount(subject: string): Promise<void>;
  enableAccount(subject: string): Promise<void>;
  /** Revokes refresh tokens; access tokens stop working through sessionsValidAfter in our table. */
  signOutEverywhere(subject: string): Promise<void>;
  /** The subject of the pool's own (not federated) account with this e-mail address, if there is one. */
  findAccountSubject(email: string): Promise<string | undefined>;
  /**
   * Links a tenant identity provider's user to an existing account (AdminLinkProviderForUser): from
   * then on, signing in through that provider signs in as the account, with its `sub`.
   */
  linkFederatedUser(input: { subject: string; providerName: string; providerSubject: string }): Promise<void>;
}

let client: CognitoIdentityProviderClient | undefined;
function cognito(): CognitoIdentityProviderClient {
  const endpoint = process.env.COGNITO_ENDPOINT;
  client ??= new CognitoIdentityProviderClient(endpoint ? { endpoint } : {});
  return client;
}

function userPoolIdOf(given: string | undefined): string {
  const pool = given ?? process.env.PEOPLE_USER_POOL_ID;
  if (!pool) throw new Error('PEOPLE_USER_POOL_ID is not set');
  return pool;
}

const subjectOf = (attributes: AttributeType[] | undefined): string => {
  const subject = attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!subject) throw new Error('The user pool answered an account without a sub');
  return subject;
};

/**
 * Cognito's admin actions take the user name; in this pool a user's `sub` is also accepted as its
 * user name (an alias Cognito resolves), so the table need not keep the e-mail address for them.
 */
export function identityDirectory(options: { userPoolId?: string } = {}): IdentityDirectory {
  // A pool's own trigger is given its pool in each event: its environment cannot name the pool that names it.
  const userPoolId = () => userPoolIdOf(options.userPoolId);
  const setPassword: IdentityDirectory['setPassword'] = async ({ email, password, temporary }) => {
    await cognito().send(
      new AdminSetUserPasswordCommand({ UserPoolId: userPoolId(), Username: email.toLowerCase(), Password: password, Permanent: !temporary }),
    );
  };
  return {
    async createAccount({ email, password, temporary }) {
      const username = email.toLowerCase();
      try {
        const { User } = await cognito().send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId(),
            Username: username,
            UserAttributes: [
              { Name: 'email', Value: username },
              { Name: 'email_verified', Value: 'true' },
            ],
            MessageAction: 'SUPPRESS',
            TemporaryPassword: password,
          }),
        );
        if (!temporary) await setPassword({ email: username, password, temporary: false });
        return { subject: subjectOf(User?.Attributes), created: true };
      } catch (error) {
        if (!(error instanceof UsernameExistsException)) throw error;
        const { UserAttributes } = await cognito().send(new AdminGetUserCommand({ UserPoolId: userPoolId(), Username: username }));
        return { subject: subjectOf(UserAttributes), created: false };
      }
    },
    setPassword,
    async disableAccount(subject) {
      await cognito().send(new AdminDisableUserCommand({ UserPoolId: userPoolId(), Username: subject }));
    },
    async enableAccount(subject) {
      await cognito().send(new AdminEnableUserCommand({ UserPoolId: userPoolId(), Username: subject }));
    },
    async signOutEverywhere(subject) {
      await cognito().send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId(), Username: subject }));
    },
    async findAccountSubject(email) {
      try {
        const { UserAttributes } = await cognito().send(new AdminGetUserCommand({ UserPoolId: userPoolId(), Username: email.toLowerCase() }));
        return subjectOf(UserAttributes);
      } catch (error) {
        if (error instanceof UserNotFoundException) return undefined;
        throw error;
      }
    },
    async linkFederatedUser({ subject, providerName, providerSubject }) {
      await cognito().send(
        new AdminLinkProviderForUserCommand({
          UserPoolId: userPoolId(),
          DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: subject },
          SourceUser: { ProviderName: providerName, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: providerSubject },
        }),
      );
    },
  };
}
