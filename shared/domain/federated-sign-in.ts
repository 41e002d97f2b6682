/**
 * A tenant's own identity provider signing a person in for the first time (Cognito's pre sign-up
 * trigger, PreSignUp_ExternalProvider): Cognito names the new federated user
 * `<provider name>_<the provider's subject>`. The provider belongs to one tenant (infra/config.ts,
 * tenantIdentityProviders); the person must have been invited there, by the same e-mail address.
 */
export interface FederatedUser {
  providerName: string;
  /** The user's subject at the provider (SAML NameID, OIDC `sub`), as Cognito links it. */
  providerSubject: string;
  tenantId: string;
}

/** `providerTenants`: each declared provider's name and its tenant. Undefined: no declared provider's user. */
export function federatedUserOf(userName: string, providerTenants: Readonly<Record<string, string>>): FederatedUser | undefined {
  // Provider names may hold underscores themselves: the longest declared name that prefixes the user name wins.
  const providerName = Object.keys(providerTenants)
    .filter((name) => userName.toLowerCase().startsWith(`${name.toLowerCase()}_`) && userName.length > name.length + 1)
    .sort((a, b) => b.length - a.length)[0];
  if (!providerName) return undefined;
  return { providerName, providerSubject: userName.slice(providerName.length + 1), tenantId: providerTenants[providerName]! };
}

/** Why a federated first sign-in is refused, as the person reads it on the sign-in page. */
export const federatedSignInRefusals = {
  unknownProvider: 'This identity provider is not set up for Switchboard. Ask your Switchboard admin.',
  noEmail: 'Your identity provider did not send your e-mail address, so Switchboard cannot find your invitation. Ask your IT admin to send the e-mail claim.',
  notInvited: 'Nobody has invited this e-mail address to Switchboard for your organization. Ask your Switchboard admin to invite you, then sign in again.',
  otherTenant:
    'This e-mail address belongs to a person of another Switchboard organization, so it cannot sign in through your identity provider. Ask your Switchboard admin.',
  deactivated: 'Your Switchboard access has been deactivated. Ask your Switchboard admin.',
  linked: 'Your sign-in is now linked to your Switchboard account. Sign in again to continue.',
} as const;

/** A refusal the trigger raises on purpose: Cognito shows its message on the sign-in page. */
export class FederatedSignInRefused extends Error {
  override name = 'FederatedSignInRefused';
}
