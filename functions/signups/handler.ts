import { createHash } from 'node:crypto';
import { getPersonOfSubject } from '../../shared/data/people-repo';
import { getSignup, getSignupByEmail, getSignupByTokenHash, insertSignup, listSignups, replaceSignup, signupChange } from '../../shared/data/signups-repo';
import { insertTenant } from '../../shared/data/tenants-repo';
import { type AuditContext, newAuditEntry } from '../../shared/domain/audit';
import { type StoredPerson, agentIdCandidates, newLinkToken, signupAlreadyDoneMail, signupApprovedMail, signupVerificationMail } from '../../shared/domain/person';
import {
  type StoredSignup,
  completedSignup,
  linkUsable,
  pendingSignup,
  publicSignup,
  rejectedSignup,
  repeatedSignup,
  tenantOfSignup,
  verifiedSignup,
} from '../../shared/domain/signup';
import { newTenantRecords } from '../../shared/domain/tenant';
import { createApiHandler } from '../../shared/http/handler';
import { HttpError, badRequest, conflict, notFound } from '../../shared/http/problem';
import type { RequestSource } from '../../shared/http/operation';
import { signupRoutes } from '../../shared/http/routes/signups';
import { looksLikeId, newId } from '../../shared/ids';
import { logger } from '../../shared/observability';
import { identityDirectory } from '../../shared/ports/identity-directory';
import { consoleLink, isMailRefused, mailSender } from '../../shared/ports/mail';
import type { SignupBody } from '../../shared/schemas/signup';

const directory = identityDirectory();
const mail = mailSender();

/** The stage's setting (infra/config.ts): sign-ups wait for the operator's approval. */
const requiresApproval = () => process.env.SIGNUP_REQUIRES_APPROVAL === 'true';
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

const linkInvalid = () =>
  new HttpError('signup-link-invalid', 'This sign-up link is unknown, used or expired; sign up again with the same address for a new one', {
    errors: [{ path: '$.token', message: 'Not a usable sign-up link' }],
  });

const notAwaiting = (signup: StoredSignup) => conflict(`The sign-up is ${signup.state}, not awaiting approval; nothing was changed`, 'signup-decided');

/** Sign-ups and their decisions are made by nobody of a tenant: the audit log names the operator (of the service) as their actor. */
const operatorContext = (source: RequestSource): AuditContext => ({ actor: { type: 'operator' }, source });

export const handler = createApiHandler('signups', signupRoutes, {
  async startSignup(request) {
    await startOrRepeat(request.body);
    return { status: 202, body: { message: 'Check your mailbox: we sent a link to verify your e-mail address.' } };
  },

  async verifySignup(request) {
    const now = new Date();
    const tokenHash = hashOf(request.body.token);
    const signup = await getSignupByTokenHash(tokenHash);
    if (!signup || !linkUsable(signup, tokenHash, now)) throw linkInvalid();

    const account = await directory.createAccount({ email: signup.adminEmail, password: request.body.password, temporary: false });
    if (!account.created) {
      if (await getPersonOfSubject(account.subject)) {
        throw conflict('This address already has a Switchboard account: sign in with it, or sign up with another address. Nothing was created', 'person-exists');
      }
      // An account without a person: made by an earlier verification that failed before the tenant was written.
      await directory.setPassword({ email: signup.adminEmail, password: request.body.password, temporary: false });
    }
    const verified = verifiedSignup(signup, { subject: account.subject, displayName: request.body.displayName, requiresApproval: requiresApproval(), now });
    if (verified.state === 'awaiting-approval') {
      if (!(await replaceSignup(signup, verified))) throw linkInvalid();
      logger.info('Sign-up verified, awaiting approval', { signupId: signup.signupId });
      return { status: 200, body: { state: 'awaiting-approval' as const, signInUrl: consoleLink() } };
    }
    const tenantId = await createTenantOf(signup, verified, operatorContext(request.source), now, false);
    if (!tenantId) throw linkInvalid();
    return { status: 200, body: { state: 'completed' as const, tenantId, signInUrl: consoleLink() } };
  },

  async listSignups(request) {
    const page = await listSignups(request.query.state, request.query.limit, decodeSignupCursor(request.query.cursor));
    return { status: 200, body: { items: page.items.map(publicSignup), ...(page.last && { nextCursor: encodeSignupCursor(page.last) }) } };
  },

  async approveSignup(request) {
    const signup = await existingSignup(request.params.signupId);
    if (signup.state === 'completed' && signup.decidedAt) return { status: 200, body: publicSignup(signup) };
    if (signup.state !== 'awaiting-approval') throw notAwaiting(signup);
    const now = new Date();
    const tenantId = await createTenantOf(signup, signup, operatorContext(request.source), now, true);
    if (!tenantId) {
      const current = await existingSignup(signup.signupId);
      if (current.state === 'completed') return { status: 200, body: publicSignup(current) };
      throw notAwaiting(current);
    }
    const content = signupApprovedMail({ locale: signup.locale, businessName: signup.businessName, consoleUrl: consoleLink() });
    await mail.send({ to: signup.adminEmail, ...content, tenantId, kind: 'signup-approved' });
    return { status: 200, body: publicSignup(await existingSignup(signup.signupId)) };
  },

  async rejectSignup(request) {
    const signup = await existingSignup(request.params.signupId);
    if (signup.state !== 'awaiting-approval') throw notAwaiting(signup);
    const rejected = rejectedSignup(signup, request.body.reason, new Date());
    if (!(await replaceSignup(signup, rejected))) throw notAwaiting((await getSignup(signup.signupId)) ?? signup);
    logger.info('Sign-up rejected', { signupId: signup.signupId });
    return { status: 200, body: publicSignup(rejected) };
  },
});

/** Mails the address a sign-up names; one SES refuses is the request's problem (422), any other failure the service's. */
async function mailSignup(message: Parameters<typeof mail.send>[0]): Promise<void> {
  await mail.send(message).catch((error: unknown) => {
    if (!isMailRefused(error)) throw error;
    logger.warn('A sign-up mail was refused', { errorName: (error as Error).name });
    throw new HttpError('mail-refused', 'The mail service refused to send to this address, so it cannot be verified; check it, or sign up with another', {
      errors: [{ path: '$.adminEmail', message: 'The mail service refuses this address' }],
    });
  });
}

/**
 * A new sign-up mails a link; one for an address that has a sign-up pending (or rejected) starts
 * it again with a new link, the old one no longer working; one whose business exists or awaits
 * approval gets a reminder. The answer is the same in every case.
 */
async function startOrRepeat(body: SignupBody): Promise<void> {
  const now = new Date();
  const token = newLinkToken();
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await getSignupByEmail(body.adminEmail);
    if (existing && repeatedSignup(existing.state) === 'remind') {
      const content = signupAlreadyDoneMail({ locale: body.locale, consoleUrl: consoleLink() });
      await mailSignup({ to: body.adminEmail, ...content, kind: 'signup-verification' });
      logger.info('Sign-up repeated for an address already signed up', { signupId: existing.signupId });
      return;
    }
    const next = pendingSignup(body, { signupId: existing?.signupId ?? newId('sig'), tokenHash: hashOf(token), now });
    const written = existing ? await replaceSignup(existing, next) : (await insertSignup(next)) === 'inserted';
    if (written) {
      const verifyUrl = consoleLink(`/signup/verify?token=${token}`);
      const content = signupVerificationMail({ locale: body.locale, businessName: body.businessName, verifyUrl });
      await mailSignup({ to: body.adminEmail, ...content, kind: 'signup-verification' });
      logger.info(existing ? 'Sign-up started again' : 'Sign-up started', { signupId: next.signupId });
      return;
    }
  }
  throw conflict('Another sign-up for this address was made at the same time; try again');
}

/**
 * Creates the trial tenant and its first admin (active, with the account made at verification)
 * in one transaction with the sign-up's change to completed, conditioned on `before`'s state: the
 * same sign-up never makes two tenants. Undefined when the sign-up changed meanwhile.
 */
async function createTenantOf(before: StoredSignup, verified: StoredSignup, context: AuditContext, now: Date, decided: boolean): Promise<string | undefined> {
  if (!verified.subject) throw new Error(`Sign-up ${verified.signupId} has no account`);
  const at = now.toISOString();
  const { profile, settings, surveyTemplate } = newTenantRecords(tenantOfSignup(verified), at);
  const person: StoredPerson = {
    tenantId: profile.tenantId,
    personId: newId('per'),
    subject: verified.subject,
    email: verified.adminEmail,
    ...(verified.adminDisplayName !== undefined && { displayName: verified.adminDisplayName }),
    role: 'admin',
    state: 'active',
    agentId: agentIdCandidates(verified.adminEmail)[0]!,
    invitedAt: at,
    version: 1,
  };
  const audit = newAuditEntry(profile.tenantId, context, {
    action: 'tenant.created',
    target: { type: 'tenant', id: profile.tenantId },
    summary: { plan: profile.plan, adminPersonId: person.personId },
    at,
  });
  const completed = completedSignup(verified, profile.tenantId, now, decided);
  try {
    await insertTenant(profile, settings, { person }, surveyTemplate, audit, signupChange(before, completed));
  } catch (error) {
    const current = await getSignup(before.signupId);
    if (current && (current.state !== before.state || current.tokenHash !== before.tokenHash)) return undefined;
    throw error;
  }
  logger.info('Tenant created by sign-up', { tenantId: profile.tenantId, signupId: before.signupId });
  return profile.tenantId;
}

async function existingSignup(signupId: string): Promise<StoredSignup> {
  const signup = looksLikeId('sig', signupId) ? await getSignup(signupId) : undefined;
  if (!signup) throw notFound('No such sign-up');
  return signup;
}

/** The operator list's cursor: the last sign-up read, opaque to the client. */
const encodeSignupCursor = (last: { createdAt: string; signupId: string }) => Buffer.from(JSON.stringify(last)).toString('base64url');

function decodeSignupCursor(cursor: string | undefined): { createdAt: string; signupId: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { createdAt?: unknown; signupId?: unknown } | null;
    const { createdAt, signupId } = decoded ?? {};
    if (typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) && typeof signupId === 'string' && looksLikeId('sig', signupId)) return { createdAt, signupId };
  } catch {
    // answered below
  }
  throw badRequest('The cursor is not valid for this list; start again without it');
}
