import type { Signup, SignupBody, SignupState } from '../schemas/signup';
import type { CreateTenantBody } from '../schemas/tenant';

/** How long a sign-up's verification link works. */
export const signupLinkLifetimeMs = 24 * 60 * 60 * 1000;

/** A sign-up as stored: what the operator sees, and the hash of its current link's token and the account made at verification. */
export interface StoredSignup extends Signup {
  /** SHA-256 of the current verification token (while pending-verification). */
  tokenHash?: string;
  tokenExpiresAt?: string;
  /** The admin's sign-in account, made when the address is verified. */
  subject?: string;
  adminDisplayName?: string;
}

/** What a second POST /v1/signups for the same address does: start again with a new link, or remind the admin that they signed up. */
export type RepeatedSignup = 'new-link' | 'remind';

export const repeatedSignup = (state: SignupState): RepeatedSignup => (state === 'pending-verification' || state === 'rejected' ? 'new-link' : 'remind');

/** A new sign-up (or one started again) waiting for its address to be verified through the link whose token hashes to `tokenHash`. */
export function pendingSignup(body: SignupBody, input: { signupId: string; tokenHash: string; now: Date }): StoredSignup {
  return {
    signupId: input.signupId,
    businessName: body.businessName,
    timezone: body.timezone,
    country: body.country,
    locale: body.locale,
    adminEmail: body.adminEmail,
    state: 'pending-verification',
    createdAt: input.now.toISOString(),
    tokenHash: input.tokenHash,
    tokenExpiresAt: new Date(input.now.getTime() + signupLinkLifetimeMs).toISOString(),
  };
}

/** Whether the link of `signup` with this token hash may still be used at `now`. */
export const linkUsable = (signup: StoredSignup, tokenHash: string, now: Date): boolean =>
  signup.state === 'pending-verification' &&
  signup.tokenHash === tokenHash &&
  signup.tokenExpiresAt !== undefined &&
  now.getTime() < Date.parse(signup.tokenExpiresAt);

/** The sign-up once its address is verified: decided at once, or waiting for the operator. */
export function verifiedSignup(signup: StoredSignup, input: { subject: string; displayName?: string; requiresApproval: boolean; now: Date }): StoredSignup {
  const { tokenHash: _hash, tokenExpiresAt: _expiry, ...rest } = signup;
  return {
    ...rest,
    state: input.requiresApproval ? 'awaiting-approval' : 'completed',
    verifiedAt: input.now.toISOString(),
    subject: input.subject,
    ...(input.displayName !== undefined && { adminDisplayName: input.displayName }),
  };
}

/** The sign-up once its tenant exists. */
export const completedSignup = (signup: StoredSignup, tenantId: string, now: Date, decided: boolean): StoredSignup => ({
  ...signup,
  state: 'completed',
  tenantId,
  ...(decided && { decidedAt: now.toISOString() }),
});

export const rejectedSignup = (signup: StoredSignup, reason: string, now: Date): StoredSignup => ({
  ...signup,
  state: 'rejected',
  decidedAt: now.toISOString(),
  rejectionReason: reason,
});

/** The tenant a sign-up asks for: a trial in its time zone, language and country. */
export const tenantOfSignup = (signup: Signup): CreateTenantBody => ({
  name: signup.businessName,
  timezone: signup.timezone,
  locale: signup.locale,
  defaultCountry: signup.country,
  plan: 'trial',
});

/** The sign-up as the operator sees it: without its token hash or account subject. */
export const publicSignup = (signup: StoredSignup): Signup => {
  const { tokenHash: _hash, tokenExpiresAt: _expiry, subject: _subject, adminDisplayName: _name, ...shown } = signup;
  return shown;
};
