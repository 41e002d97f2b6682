import { randomBytes, randomInt } from 'node:crypto';
import { agentIdProblem, maxAgentIdLength } from './agent';
import type { Person, PersonState, Role } from '../schemas/person';

type Locale = 'zh-TW' | 'en';

/** A person as stored: what the API shows, its tenant, its sign-in account and when its sessions were last ended. */
export interface StoredPerson extends Person {
  tenantId: string;
  /** The sign-in account's `sub` (the identity directory's subject). */
  subject: string;
  /** Epoch seconds: access tokens issued before this are refused (sign-out everywhere). */
  sessionsValidAfter?: number;
}

/** How often at most the authorizer records a sign-in (the person's lastSignInAt). */
export const signInRecordingIntervalMs = 15 * 60 * 1000;

/**
 * The agent ids to try, in order, for a person invited without one: the e-mail address before the
 * @, made a valid agent id (lower case, no #, : or white space), then with -2, -3, … appended,
 * so that the first one no other person of the tenant has is theirs.
 */
export function agentIdCandidates(email: string, count = 20): string[] {
  const local = email.split('@')[0] ?? '';
  let base = local.toLowerCase().replace(/[#:\s\p{Cc}]/gu, '-').slice(0, maxAgentIdLength - 4);
  if (agentIdProblem(base)) base = 'agent';
  return [base, ...Array.from({ length: count - 1 }, (_, index) => `${base}-${index + 2}`)];
}

/** Whether a change leaves `person` unable to act as an admin: demoted, or deactivated. */
export const removesAdmin = (person: Pick<Person, 'role' | 'state'>, next: { role?: Role; state?: PersonState }): boolean =>
  person.role === 'admin' && person.state === 'active' && ((next.role !== undefined && next.role !== 'admin') || next.state === 'deactivated');

/** The first active admin other than `personId`, who keeps the tenant administered if `personId` stops being one. */
export const anotherActiveAdmin = (people: readonly Pick<Person, 'personId' | 'role' | 'state'>[], personId: string): string | undefined =>
  people.find((person) => person.personId !== personId && person.role === 'admin' && person.state === 'active')?.personId;

/** Epoch seconds from which access tokens are accepted after a sign-out everywhere at `now`: a token of the same second is refused too. */
export const sessionsValidAfterOf = (now: Date): number => Math.floor(now.getTime() / 1000) + 1;

/** Whether an access token issued at `issuedAt` (epoch seconds) is still valid for the person. */
export const sessionStillValid = (person: Pick<StoredPerson, 'sessionsValidAfter'>, issuedAt: number): boolean =>
  person.sessionsValidAfter === undefined || issuedAt >= person.sessionsValidAfter;

/** Whether a sign-in at `now` should be recorded: none recorded yet, or the last one is older than the interval. */
export const signInDue = (lastSignInAt: string | undefined, now: Date): boolean =>
  lastSignInAt === undefined || now.getTime() - Date.parse(lastSignInAt) >= signInRecordingIntervalMs;

/**
 * A temporary password for an invitation that satisfies the people's password policy
 * (shared/domain/password-policy.ts), with symbols too though the policy does not require them;
 * the person chooses their own at the first sign-in.
 */
export function temporaryPassword(): string {
  const groups = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-=?@'];
  const characters = groups.flatMap((group) => Array.from({ length: 4 }, () => group[randomInt(group.length)]!));
  for (let index = characters.length - 1; index > 0; index--) {
    const other = randomInt(index + 1);
    [characters[index], characters[other]] = [characters[other]!, characters[index]!];
  }
  return characters.join('');
}

/** A one-time token for a mailed link: 32 random bytes, base64url. */
export const newLinkToken = (): string => randomBytes(32).toString('base64url');

const roleNames: Record<Locale, Record<Role, string>> = {
  en: { admin: 'admin', supervisor: 'supervisor', agent: 'agent', viewer: 'viewer' },
  'zh-TW': { admin: '管理員', supervisor: '主管', agent: '客服人員', viewer: '檢視者' },
};

export interface MailContent {
  subject: string;
  text: string;
}

/** Both languages, the tenant's first (its locale), the other after a rule. */
function bilingual(locale: Locale, content: Record<Locale, MailContent>): MailContent {
  const other: Locale = locale === 'en' ? 'zh-TW' : 'en';
  return {
    subject: `${content[locale].subject} / ${content[other].subject}`,
    text: `${content[locale].text}\n\n----------\n\n${content[other].text}`,
  };
}

/** The invitation: who invited them to which business, with which role, where to sign in and the temporary password. */
export function invitationMail(input: { locale: Locale; tenantName: string; role: Role; email: string; temporaryPassword: string; consoleUrl: string }): MailContent {
  const { locale, tenantName, role, email, consoleUrl } = input;
  return bilingual(locale, {
    en: {
      subject: `You are invited to ${tenantName} on Switchboard`,
      text:
        `You have been invited to ${tenantName} on Switchboard as ${roleNames.en[role]}.\n\n` +
        `Sign in at ${consoleUrl} with\n  e-mail: ${email}\n  temporary password: ${input.temporaryPassword}\n\n` +
        'At the first sign-in you choose your own password and set up an authenticator app. The temporary password works for 7 days.',
    },
    'zh-TW': {
      subject: `您受邀加入 Switchboard 上的 ${tenantName}`,
      text:
        `您已受邀以「${roleNames['zh-TW'][role]}」身分加入 Switchboard 上的 ${tenantName}。\n\n` +
        `請至 ${consoleUrl} 登入：\n  電子郵件：${email}\n  臨時密碼：${input.temporaryPassword}\n\n` +
        '首次登入時請設定您自己的密碼，並設定驗證器應用程式。臨時密碼 7 天內有效。',
    },
  });
}

/** The sign-up verification link (valid 24 hours). */
export function signupVerificationMail(input: { locale: Locale; businessName: string; verifyUrl: string }): MailContent {
  const { locale, businessName, verifyUrl } = input;
  return bilingual(locale, {
    en: {
      subject: 'Verify your e-mail address for Switchboard',
      text:
        `Someone (we hope you) started a Switchboard trial for ${businessName} with this address.\n\n` +
        `To verify it and choose your password, open this link within 24 hours:\n${verifyUrl}\n\nIf it was not you, ignore this mail: nothing happens without the link.`,
    },
    'zh-TW': {
      subject: '請驗證您在 Switchboard 的電子郵件地址',
      text:
        `有人（希望是您）以此地址為 ${businessName} 申請 Switchboard 試用。\n\n` +
        `請在 24 小時內開啟以下連結，驗證地址並設定密碼：\n${verifyUrl}\n\n若不是您本人申請，請忽略此信：沒有這個連結，什麼都不會發生。`,
    },
  });
}

/** A second sign-up for an address whose business already exists (or waits for approval): no new link, a reminder. */
export function signupAlreadyDoneMail(input: { locale: Locale; consoleUrl: string }): MailContent {
  const { locale, consoleUrl } = input;
  return bilingual(locale, {
    en: {
      subject: 'You already signed up for Switchboard',
      text: `This address has already signed up for Switchboard. Sign in at ${consoleUrl}; if you forgot your password, choose "Forgot password" there.`,
    },
    'zh-TW': {
      subject: '您已申請過 Switchboard',
      text: `此地址已申請過 Switchboard。請至 ${consoleUrl} 登入；若忘記密碼，請在該頁選擇「忘記密碼」。`,
    },
  });
}

/** The operator approved the sign-up: the admin can sign in. */
export function signupApprovedMail(input: { locale: Locale; businessName: string; consoleUrl: string }): MailContent {
  const { locale, businessName, consoleUrl } = input;
  return bilingual(locale, {
    en: {
      subject: `${businessName} is ready on Switchboard`,
      text: `Your Switchboard trial for ${businessName} is approved. Sign in at ${consoleUrl} with your e-mail address and the password you chose.`,
    },
    'zh-TW': {
      subject: `${businessName} 已可在 Switchboard 使用`,
      text: `您為 ${businessName} 申請的 Switchboard 試用已核准。請至 ${consoleUrl} 以您的電子郵件地址和您設定的密碼登入。`,
    },
  });
}
