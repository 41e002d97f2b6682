import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { getPerson, getPersonIdByEmail, getPersonOfSubject } from '../../shared/data/people-repo';
import { FederatedSignInRefused, federatedSignInRefusals, federatedUserOf } from '../../shared/domain/federated-sign-in';
import { logger, withLambdaContext } from '../../shared/observability';
import { identityDirectory } from '../../shared/ports/identity-directory';

/**
 * Cognito's pre sign-up trigger (infra/people-stack.ts): Cognito's shape of the event, as its
 * developer guide documents it. Only `PreSignUp_ExternalProvider` concerns this function:
 * invitations and sign-ups create accounts with AdminCreateUser (`PreSignUp_AdminCreateUser`),
 * which pass unchanged; the pool has no self-service sign-up.
 */
export interface PreSignUpEvent {
  version: string;
  triggerSource: 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser' | 'PreSignUp_ExternalProvider';
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: { userAttributes: Record<string, string>; validationData?: Record<string, string> | null; clientMetadata?: Record<string, string> };
  response: { autoConfirmUser: boolean; autoVerifyEmail: boolean; autoVerifyPhone: boolean };
}

/** FEDERATED_PROVIDER_TENANTS: each declared provider's name and its tenant, as JSON (infra/people-stack.ts). */
function providerTenants(): Record<string, string> {
  const declared = process.env.FEDERATED_PROVIDER_TENANTS;
  if (!declared) throw new Error('FEDERATED_PROVIDER_TENANTS is not set');
  return JSON.parse(declared) as Record<string, string>;
}

const refuse = (reason: keyof typeof federatedSignInRefusals, details: Record<string, unknown>): never => {
  logger.warn('A federated first sign-in was refused', { reason, ...details });
  throw new FederatedSignInRefused(federatedSignInRefusals[reason]);
};

/**
 * A federated user's first sign-in: finds the person invited by the same e-mail address in the
 * tenant that owns the provider, and links the provider's user to that person's account, so the
 * person signs in with the account's `sub` (the one Switchboard's table knows: the authorizer finds
 * the person as for any sign-in). Then refuses this one attempt, so that Cognito creates no second,
 * unlinked user; the next sign-in through the provider is the linked account's. Anyone else is
 * refused with a message the sign-in page shows.
 */
export async function linkFederatedUser(event: PreSignUpEvent): Promise<PreSignUpEvent> {
  if (event.triggerSource !== 'PreSignUp_ExternalProvider') return event;
  const user = federatedUserOf(event.userName, providerTenants());
  if (!user) return refuse('unknownProvider', { userPoolId: event.userPoolId });
  const { providerName, providerSubject, tenantId } = user;
  const email = event.request.userAttributes.email?.trim().toLowerCase();
  if (!email) return refuse('noEmail', { providerName, tenantId });

  const directory = identityDirectory({ userPoolId: event.userPoolId });
  const personId = await getPersonIdByEmail(tenantId, email);
  if (!personId) {
    const subject = await directory.findAccountSubject(email);
    const owner = subject ? await getPersonOfSubject(subject) : undefined;
    return owner && owner.tenantId !== tenantId ? refuse('otherTenant', { providerName, tenantId }) : refuse('notInvited', { providerName, tenantId });
  }
  const person = await getPerson(tenantId, personId);
  if (!person) throw new Error(`The e-mail claim of ${tenantId} names person ${personId}, which does not exist`);
  if (person.state === 'deactivated') return refuse('deactivated', { providerName, tenantId, personId });

  await directory.linkFederatedUser({ subject: person.subject, providerName, providerSubject });
  logger.info('A federated user was linked to an invited person', { providerName, tenantId, personId });
  throw new FederatedSignInRefused(federatedSignInRefusals.linked);
}

export const handler = middy<PreSignUpEvent, PreSignUpEvent, Error, Context>().use(withLambdaContext()).handler(linkFederatedUser);
