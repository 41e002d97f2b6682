import { passwordPolicy, passwordRuleDescriptions, passwordRulePatterns } from '../domain/password-policy';
import * as z from '../zod';
import { CountryCode, IanaTimezone, Iso8601, Locale, PaginationQuery } from './common';
import { EmailAddress } from './person';

/**
 * A business's self-service sign-up: `pending-verification` until the admin's e-mail is verified;
 * then `completed` (its trial tenant exists) or, when the operator requires approval,
 * `awaiting-approval` until the operator approves (`completed`) or rejects (`rejected`).
 */
export const SignupState = z.enum(['pending-verification', 'awaiting-approval', 'completed', 'rejected']);
export type SignupState = z.infer<typeof SignupState>;

export const SignupBody = z.strictObject({
  businessName: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  timezone: IanaTimezone,
  country: CountryCode,
  locale: Locale,
  adminEmail: EmailAddress,
});
export type SignupBody = z.infer<typeof SignupBody>;

export const SignupAccepted = z.withMeta(
  z.object({
    message: z.described(z.string(), 'What happens next: a verification mail is on its way'),
  }),
  { id: 'SignupAccepted' },
);

/** The verification token in the mailed link: 32 random bytes, base64url (43 characters). */
const VerificationToken = z.withMeta(z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'Must be the token from the verification mail')), { maxLength: 43 });

export const VerifySignupBody = z.strictObject({
  token: VerificationToken,
  password: z.described(
    z.string().check(
      z.minLength(passwordPolicy.minLength, passwordRuleDescriptions.length),
      z.maxLength(passwordPolicy.maxLength),
      z.regex(passwordRulePatterns.lowercase, passwordRuleDescriptions.lowercase),
      z.regex(passwordRulePatterns.uppercase, passwordRuleDescriptions.uppercase),
      z.regex(passwordRulePatterns.digit, passwordRuleDescriptions.digit),
    ),
    "The first admin's password: at least 12 characters with lower- and upper-case letters and a digit",
  ),
  displayName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
});
export type VerifySignupBody = z.infer<typeof VerifySignupBody>;

export const SignupVerified = z.withMeta(
  z.object({
    state: z.enum(['completed', 'awaiting-approval']),
    tenantId: z.described(z.optional(z.string()), 'The new tenant, when it exists (state completed)'),
    signInUrl: z.described(z.string(), 'Where the admin signs in (the console)'),
  }),
  { id: 'SignupVerified' },
);

export const Signup = z.withMeta(
  z.object({
    signupId: z.string(),
    businessName: z.string(),
    timezone: z.string(),
    country: z.string(),
    locale: Locale,
    adminEmail: z.string(),
    state: SignupState,
    createdAt: Iso8601,
    verifiedAt: z.optional(Iso8601),
    decidedAt: z.optional(Iso8601),
    rejectionReason: z.optional(z.string()),
    tenantId: z.optional(z.string()),
  }),
  { id: 'Signup' },
);
export type Signup = z.infer<typeof Signup>;

export const SignupListQuery = z.extend(PaginationQuery, {
  state: z._default(SignupState, 'awaiting-approval'),
});

export const SignupIdParams = z.object({ signupId: z.string().check(z.maxLength(64)) });

export const RejectSignupBody = z.strictObject({
  reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
});
