import { type PasswordRule, passwordPolicy } from './user-store';

/** The sign-in pages' words, in English and Traditional Chinese (Taiwan). */
export type Locale = 'en' | 'zh-TW';

/** `ui_locales` first (space-separated, in order of preference), then Accept-Language; English otherwise. */
export function pickLocale(uiLocales: string | undefined | null, acceptLanguage: string | undefined): Locale {
  const wanted = [
    ...(uiLocales ?? '').split(/\s+/),
    ...(acceptLanguage ?? '')
      .split(',')
      .map((part) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = params.map((param) => /^\s*q=([\d.]+)/.exec(param)?.[1]).find(Boolean);
        return { tag: tag.trim(), q: q === undefined ? 1 : Number(q) };
      })
      .filter((entry) => entry.q > 0)
      .sort((a, b) => b.q - a.q)
      .map((entry) => entry.tag),
  ];
  for (const tag of wanted) {
    const lower = tag.toLowerCase();
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
    if (lower === 'zh' || lower === 'zh-tw' || lower === 'zh-hant' || lower.startsWith('zh-hant') || lower === 'zh-hk') return 'zh-TW';
  }
  return 'en';
}

export interface Messages {
  productName: string;
  signInTitle: string;
  email: string;
  password: string;
  signIn: string;
  forgotPassword: string;
  wrongPassword: string;
  lockedOut: (until: string, minutes: number) => string;
  disabled: string;
  attemptsNote: (failures: number, minutes: number) => string;
  newPasswordTitle: string;
  newPasswordIntro: string;
  newPassword: string;
  confirmPassword: string;
  passwordsDiffer: string;
  passwordRulesTitle: string;
  rule: Record<PasswordRule, string>;
  passwordBroken: (rules: string[]) => string;
  setPassword: string;
  totpSetupTitle: string;
  totpSetupIntro: string;
  totpSecret: string;
  totpLink: string;
  totpCode: string;
  totpCodeHint: string;
  verify: string;
  totpTitle: string;
  totpIntro: string;
  wrongCode: string;
  forgotTitle: string;
  forgotIntro: string;
  sendCode: string;
  resetTitle: string;
  resetIntro: (email: string) => string;
  resetCode: string;
  resetWrongCode: string;
  resetExpired: string;
  passwordChanged: string;
  backToSignIn: string;
  expired: string;
  errorTitle: string;
  language: string;
  resetMailSubject: string;
  resetMailText: (code: string, minutes: number) => string;
}

export const messages: Record<Locale, Messages> = {
  en: {
    productName: 'Switchboard',
    signInTitle: 'Sign in to Switchboard',
    email: 'E-mail address',
    password: 'Password',
    signIn: 'Sign in',
    forgotPassword: 'Forgot your password?',
    wrongPassword: 'Incorrect e-mail address or password.',
    lockedOut: (until, minutes) =>
      `Too many failed attempts: this account is locked for ${minutes} minutes, until ${until} (UTC). Try again then, or reset your password.`,
    disabled: 'This account is disabled. Ask an administrator of your organisation to reactivate it.',
    attemptsNote: (failures, minutes) => `After ${failures} failed attempts in a row the account is locked for ${minutes} minutes.`,
    newPasswordTitle: 'Choose your password',
    newPasswordIntro: 'You signed in with a temporary password. Choose your own to continue.',
    newPassword: 'New password',
    confirmPassword: 'Repeat the new password',
    passwordsDiffer: 'The two passwords differ.',
    passwordRulesTitle: 'A password needs:',
    rule: {
      length: `at least ${passwordPolicy.minLength} characters`,
      uppercase: 'an upper-case letter (A–Z)',
      lowercase: 'a lower-case letter (a–z)',
      digit: 'a digit (0–9)',
    },
    passwordBroken: (rules) => `This password is missing: ${rules.join('; ')}.`,
    setPassword: 'Set password',
    totpSetupTitle: 'Set up two-step verification',
    totpSetupIntro:
      'Every account uses an authenticator app (such as Google Authenticator, Microsoft Authenticator or 1Password). Add this account to your app with the secret key or the link below, then enter the 6-digit code the app shows.',
    totpSecret: 'Secret key',
    totpLink: 'Open in an authenticator app',
    totpCode: '6-digit code',
    totpCodeHint: 'The code changes every 30 seconds.',
    verify: 'Verify',
    totpTitle: 'Two-step verification',
    totpIntro: 'Enter the 6-digit code your authenticator app shows for Switchboard.',
    wrongCode: 'That code is not correct, or was already used. Enter the code the app shows now.',
    forgotTitle: 'Reset your password',
    forgotIntro: 'Enter the e-mail address of your account. If it exists, we send a code to reset the password.',
    sendCode: 'Send code',
    resetTitle: 'Enter the code',
    resetIntro: (email) => `If ${email} has an account, a 6-digit code is on its way there. Enter it and choose a new password.`,
    resetCode: 'Code from the e-mail',
    resetWrongCode: 'That code is not correct.',
    resetExpired: 'That code has expired. Ask for a new one.',
    passwordChanged: 'Your password was changed. Sign in with the new one.',
    backToSignIn: 'Back to sign-in',
    expired: 'This sign-in took too long and has expired. Go back to the application and sign in again.',
    errorTitle: 'Sign-in cannot continue',
    language: 'Language',
    resetMailSubject: 'Your Switchboard password reset code',
    resetMailText: (code, minutes) =>
      `Your code to reset your Switchboard password is ${code}.\n\nIt is good for ${minutes} minutes. If you did not ask for it, ignore this message: your password stays as it is.`,
  },
  'zh-TW': {
    productName: 'Switchboard',
    signInTitle: '登入 Switchboard',
    email: '電子郵件地址',
    password: '密碼',
    signIn: '登入',
    forgotPassword: '忘記密碼?',
    wrongPassword: '電子郵件地址或密碼不正確。',
    lockedOut: (until, minutes) => `嘗試失敗次數過多:此帳號已鎖定 ${minutes} 分鐘,至 ${until}(UTC)。請屆時再試,或重設密碼。`,
    disabled: '此帳號已停用。請貴單位的管理員重新啟用。',
    attemptsNote: (failures, minutes) => `連續失敗 ${failures} 次後,帳號將鎖定 ${minutes} 分鐘。`,
    newPasswordTitle: '設定您的密碼',
    newPasswordIntro: '您使用臨時密碼登入。請設定您自己的密碼以繼續。',
    newPassword: '新密碼',
    confirmPassword: '再次輸入新密碼',
    passwordsDiffer: '兩次輸入的密碼不相同。',
    passwordRulesTitle: '密碼須包含:',
    rule: {
      length: `至少 ${passwordPolicy.minLength} 個字元`,
      uppercase: '一個大寫字母(A–Z)',
      lowercase: '一個小寫字母(a–z)',
      digit: '一個數字(0–9)',
    },
    passwordBroken: (rules) => `此密碼缺少:${rules.join(';')}。`,
    setPassword: '設定密碼',
    totpSetupTitle: '設定兩步驟驗證',
    totpSetupIntro:
      '每個帳號都須使用驗證器 App(例如 Google Authenticator、Microsoft Authenticator 或 1Password)。請以下方的金鑰或連結將此帳號加入 App,再輸入 App 顯示的 6 位數驗證碼。',
    totpSecret: '金鑰',
    totpLink: '在驗證器 App 中開啟',
    totpCode: '6 位數驗證碼',
    totpCodeHint: '驗證碼每 30 秒更新一次。',
    verify: '驗證',
    totpTitle: '兩步驟驗證',
    totpIntro: '請輸入驗證器 App 為 Switchboard 顯示的 6 位數驗證碼。',
    wrongCode: '驗證碼不正確或已使用過。請輸入 App 目前顯示的驗證碼。',
    forgotTitle: '重設密碼',
    forgotIntro: '請輸入帳號的電子郵件地址。若帳號存在,我們會寄送重設密碼的驗證碼。',
    sendCode: '寄送驗證碼',
    resetTitle: '輸入驗證碼',
    resetIntro: (email) => `若 ${email} 有帳號,6 位數驗證碼已寄至該地址。請輸入驗證碼並設定新密碼。`,
    resetCode: '郵件中的驗證碼',
    resetWrongCode: '驗證碼不正確。',
    resetExpired: '驗證碼已過期。請重新申請。',
    passwordChanged: '密碼已變更。請使用新密碼登入。',
    backToSignIn: '返回登入',
    expired: '此次登入逾時。請回到應用程式重新登入。',
    errorTitle: '無法繼續登入',
    language: '語言',
    resetMailSubject: '您的 Switchboard 密碼重設驗證碼',
    resetMailText: (code, minutes) => `您重設 Switchboard 密碼的驗證碼是 ${code}。\n\n驗證碼 ${minutes} 分鐘內有效。若您並未提出申請,請忽略此郵件,您的密碼不會變更。`,
  },
};

/** Words that are not shown to people: the error page for a request the application built wrong. */
export const requestErrors = {
  unknownClient: { en: 'The application asking you to sign in is not known to this sign-in service (client_id).', 'zh-TW': '要求您登入的應用程式不在此登入服務中(client_id)。' },
  badRedirect: {
    en: 'The address the application wants you sent back to is not one registered for it (redirect_uri).',
    'zh-TW': '應用程式要求的返回網址未向此服務登記(redirect_uri)。',
  },
  badLogoutUri: {
    en: 'The address the application wants you sent to after signing out is not one registered for it (logout_uri).',
    'zh-TW': '應用程式要求的登出後網址未向此服務登記(logout_uri)。',
  },
} satisfies Record<string, Record<Locale, string>>;
