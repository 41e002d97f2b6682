/**
 * People's password policy, declared once: the sign-up verify schema, the local issuer's pages and
 * Cognito admin-API emulation, and the stage's Cognito user pool (its `passwordPolicy`) all use
 * these rules. No Node imports: the console imports it too, to show the rules beside the field.
 * A symbol is not required: length does more for a password than a forced `!`.
 */
export type PasswordRule = 'length' | 'lowercase' | 'uppercase' | 'digit';

export const passwordPolicy = {
  minLength: 12,
  /** Cognito's own upper bound for a password. */
  maxLength: 256,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: false,
} as const;

/** In the order a form lists them. */
export const passwordRules: readonly PasswordRule[] = ['length', 'lowercase', 'uppercase', 'digit'];

/** What each character rule looks for (the schema declares them as patterns). */
export const passwordRulePatterns: Record<Exclude<PasswordRule, 'length'>, RegExp> = {
  lowercase: /[a-z]/,
  uppercase: /[A-Z]/,
  digit: /[0-9]/,
};

/** The rules `password` breaks, in `passwordRules` order; none when it meets the policy. */
export function brokenPasswordRules(password: string): PasswordRule[] {
  return passwordRules.filter((rule) => (rule === 'length' ? [...password].length < passwordPolicy.minLength : !passwordRulePatterns[rule].test(password)));
}

export const passwordRuleDescriptions: Record<PasswordRule, string> = {
  length: `At least ${passwordPolicy.minLength} characters`,
  lowercase: 'At least one lower-case letter',
  uppercase: 'At least one upper-case letter',
  digit: 'At least one digit',
};
