import { randomInt, randomUUID, scryptSync, randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { brokenPasswordRules, type PasswordRule } from '../../../shared/domain/password-policy';
import { matchTotp, newTotpSecret } from './totp';

/**
 * The local issuer's user pool: the sign-in accounts the Cognito admin-API emulation creates and
 * the sign-in pages check, as Cognito keeps them (e-mail as the user name, a `sub` that never
 * changes, a temporary password until the first sign-in, enabled or disabled, TOTP).
 *
 * In memory, like DynamoDB Local by default; given a file (`npm start -- --data DIR` passes
 * DIR/identity.json), every change is written there and read back at the next start.
 * Reset codes and sign-in sessions are never written: a restart forgets them.
 */

export interface Account {
  /** Cognito's `sub`: a UUID, also the account's Username (the pool signs in by e-mail). */
  sub: string;
  /** Lowercased. */
  email: string;
  emailVerified: boolean;
  /** scrypt, `salt:hash` in base64url. */
  passwordHash: string;
  /** FORCE_CHANGE_PASSWORD until the person chooses their own at the first sign-in. */
  passwordTemporary: boolean;
  enabled: boolean;
  /** Present from the start of enrolment; `totpEnrolled` once a code confirmed it. */
  totpSecret?: string;
  totpEnrolled: boolean;
  /** The last TOTP time step accepted, so that a code is good once. */
  lastTotpStep?: number;
  failedAttempts: number;
  /** Epoch ms; sign-in is refused until then. */
  lockedUntil?: number;
  /** Epoch ms of the last AdminUserGlobalSignOut: refresh tokens and sessions from before it are void. */
  signedOutAt?: number;
  createdAt: string;
  updatedAt: string;
}

/** The people's password policy (shared/domain/password-policy.ts), which the stage's user pool declares too. */
export { type PasswordRule, brokenPasswordRules, passwordPolicy, passwordRules } from '../../../shared/domain/password-policy';

export const lockoutFailures = 5;
export const lockoutMs = 15 * 60 * 1000;
export const resetCodeLifetimeMs = 60 * 60 * 1000;
const resetCodeAttempts = 5;

export type SignInCheck =
  | { status: 'ok'; account: Account }
  | { status: 'wrong' }
  | { status: 'locked'; until: number }
  | { status: 'disabled' };

export type ResetOutcome = 'reset' | 'wrong-code' | 'expired' | { brokenRules: PasswordRule[] };

interface ResetCode {
  codeHash: string;
  expiresAt: number;
  attemptsLeft: number;
}

export class IdentityStore {
  private readonly accounts = new Map<string, Account>();
  private readonly subByEmail = new Map<string, string>();
  private readonly resetCodes = new Map<string, ResetCode>();
  private readonly now: () => number;

  constructor(private readonly options: { file?: string; now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
    if (options.file) this.load(options.file);
  }

  get size(): number {
    return this.accounts.size;
  }

  get(sub: string): Account | undefined {
    return this.accounts.get(sub);
  }

  findByEmail(email: string): Account | undefined {
    const sub = this.subByEmail.get(email.trim().toLowerCase());
    return sub === undefined ? undefined : this.accounts.get(sub);
  }

  /** As Cognito finds a user of a pool that signs in by e-mail: by its Username (the sub) or its e-mail. */
  findByUsername(username: string): Account | undefined {
    return this.accounts.get(username) ?? this.findByEmail(username);
  }

  /** The TOTP secret of an account (for tests, which compute codes as an authenticator app would). */
  totpSecretOf(email: string): string | undefined {
    return this.findByEmail(email)?.totpSecret;
  }

  /** Creates the account, or answers the existing one for that e-mail (created: false), unchanged. */
  create(input: { email: string; password: string; temporary: boolean; emailVerified?: boolean }): { account: Account; created: boolean } {
    const email = input.email.trim().toLowerCase();
    const existing = this.findByEmail(email);
    if (existing) return { account: existing, created: false };
    const at = new Date(this.now()).toISOString();
    const account: Account = {
      sub: randomUUID(),
      email,
      emailVerified: input.emailVerified ?? false,
      passwordHash: hashPassword(input.password),
      passwordTemporary: input.temporary,
      enabled: true,
      totpEnrolled: false,
      failedAttempts: 0,
      createdAt: at,
      updatedAt: at,
    };
    this.accounts.set(account.sub, account);
    this.subByEmail.set(email, account.sub);
    this.save();
    return { account, created: true };
  }

  setPassword(sub: string, password: string, temporary: boolean): void {
    this.change(sub, (account) => {
      account.passwordHash = hashPassword(password);
      account.passwordTemporary = temporary;
      account.failedAttempts = 0;
      delete account.lockedUntil;
    });
  }

  /** Disabling also ends every session and refresh token, as Cognito's AdminDisableUser revokes them: re-enabling revives none. */
  setEnabled(sub: string, enabled: boolean): void {
    this.change(sub, (account) => {
      account.enabled = enabled;
      if (!enabled) account.signedOutAt = this.now();
    });
  }

  /** AdminUserGlobalSignOut: every refresh token and sign-in session issued before now stops working. */
  signOutEverywhere(sub: string): void {
    this.change(sub, (account) => {
      account.signedOutAt = this.now();
    });
  }

  /** Whether a token or session issued at `issuedAtMs` survives the account's last global sign-out and state. */
  stillValid(sub: string, issuedAtMs: number): boolean {
    const account = this.accounts.get(sub);
    return !!account && account.enabled && (account.signedOutAt === undefined || issuedAtMs > account.signedOutAt);
  }

  /**
   * The password step of a sign-in. A wrong password counts towards the lockout; an unknown
   * e-mail answers `wrong` too, so that the page does not tell which accounts exist.
   */
  checkPassword(email: string, password: string): SignInCheck {
    const account = this.findByEmail(email);
    if (!account) {
      // As long as a real check, so that the time does not tell either.
      hashPassword(password);
      return { status: 'wrong' };
    }
    const locked = this.lockedUntil(account);
    if (locked) return { status: 'locked', until: locked };
    if (!passwordMatches(account.passwordHash, password)) return this.failure(account);
    if (!account.enabled) return { status: 'disabled' };
    return { status: 'ok', account };
  }

  /** A TOTP code at sign-in or enrolment; a wrong one counts towards the lockout like a wrong password. */
  checkTotp(sub: string, code: string, atMs: number = Date.now()): SignInCheck {
    const account = this.accounts.get(sub);
    if (!account?.totpSecret) return { status: 'wrong' };
    const locked = this.lockedUntil(account);
    if (locked) return { status: 'locked', until: locked };
    if (!account.enabled) return { status: 'disabled' };
    const step = matchTotp(account.totpSecret, code.replace(/\s/g, ''), atMs);
    if (step === undefined || (account.lastTotpStep !== undefined && step <= account.lastTotpStep)) return this.failure(account);
    this.change(sub, (changed) => {
      changed.lastTotpStep = step;
      changed.totpEnrolled = true;
      changed.failedAttempts = 0;
    });
    return { status: 'ok', account };
  }

  /** The secret an enrolment shows; the same one until a code confirms it. */
  startTotpEnrolment(sub: string): string {
    const account = this.accounts.get(sub);
    if (!account) throw new Error(`No account ${sub}`);
    if (account.totpSecret && !account.totpEnrolled) return account.totpSecret;
    const secret = newTotpSecret();
    this.change(sub, (changed) => {
      changed.totpSecret = secret;
      changed.totpEnrolled = false;
      delete changed.lastTotpStep;
    });
    return secret;
  }

  /** A sign-in that succeeded: the failures so far no longer count. */
  clearFailures(sub: string): void {
    const account = this.accounts.get(sub);
    if (account && account.failedAttempts > 0) this.change(sub, (changed) => (changed.failedAttempts = 0));
  }

  lockedUntil(account: Account): number | undefined {
    return account.lockedUntil !== undefined && account.lockedUntil > this.now() ? account.lockedUntil : undefined;
  }

  /**
   * A six-digit code for "forgot password", or undefined when the account cannot reset its
   * password (unknown, disabled, or still on its temporary password, as Cognito refuses).
   */
  issueResetCode(email: string): { code: string; account: Account } | undefined {
    const account = this.findByEmail(email);
    if (!account || !account.enabled || account.passwordTemporary) return undefined;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.resetCodes.set(account.sub, { codeHash: sha256(code), expiresAt: this.now() + resetCodeLifetimeMs, attemptsLeft: resetCodeAttempts });
    return { code, account };
  }

  resetPassword(email: string, code: string, password: string): ResetOutcome {
    const account = this.findByEmail(email);
    const pending = account && this.resetCodes.get(account.sub);
    if (!account || !pending) return 'wrong-code';
    if (pending.expiresAt <= this.now()) {
      this.resetCodes.delete(account.sub);
      return 'expired';
    }
    if (!timingSafeEqual(Buffer.from(pending.codeHash), Buffer.from(sha256(code.trim())))) {
      if (--pending.attemptsLeft <= 0) this.resetCodes.delete(account.sub);
      return 'wrong-code';
    }
    const brokenRules = brokenPasswordRules(password);
    if (brokenRules.length > 0) return { brokenRules };
    this.resetCodes.delete(account.sub);
    this.setPassword(account.sub, password, false);
    return 'reset';
  }

  private failure(account: Account): SignInCheck {
    let lockedUntil: number | undefined;
    this.change(account.sub, (changed) => {
      changed.failedAttempts += 1;
      if (changed.failedAttempts >= lockoutFailures) {
        changed.lockedUntil = lockedUntil = this.now() + lockoutMs;
        changed.failedAttempts = 0;
      }
    });
    return lockedUntil === undefined ? { status: 'wrong' } : { status: 'locked', until: lockedUntil };
  }

  private change(sub: string, apply: (account: Account) => void): void {
    const account = this.accounts.get(sub);
    if (!account) throw new Error(`No account ${sub}`);
    apply(account);
    account.updatedAt = new Date(this.now()).toISOString();
    this.save();
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const stored = JSON.parse(text) as { accounts?: Account[] };
    for (const account of stored.accounts ?? []) {
      this.accounts.set(account.sub, account);
      this.subByEmail.set(account.email, account.sub);
    }
  }

  private save(): void {
    const file = this.options.file;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ accounts: [...this.accounts.values()] }, null, 2), { mode: 0o600 });
    renameSync(temporary, file);
  }
}

function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('base64url')}:${scryptSync(password, salt, 32).toString('base64url')}`;
}

function passwordMatches(stored: string, password: string): boolean {
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  return timingSafeEqual(scryptSync(password, Buffer.from(salt, 'base64url'), 32), Buffer.from(hash, 'base64url'));
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
