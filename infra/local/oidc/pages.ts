import { type Locale, messages } from './messages';
import { lockoutFailures, lockoutMs, passwordRules as policyRules } from './user-store';

/**
 * The sign-in pages, rendered on the server: plain forms that post back to `/oidc/sign-in`, no
 * script at all, one stylesheet from the issuer, every field labelled and every error tied to
 * its field (aria-describedby), so that they work by keyboard and with a screen reader.
 */

export type SignInStep = 'sign-in' | 'new-password' | 'totp-setup' | 'totp' | 'forgot' | 'reset';

export type PageView =
  | { page: 'sign-in'; email?: string; error?: string; notice?: string }
  | { page: 'new-password'; error?: string }
  | { page: 'totp-setup'; secret: string; otpauthUri: string; error?: string }
  | { page: 'totp'; error?: string }
  | { page: 'forgot'; error?: string }
  | { page: 'reset'; email: string; error?: string }
  | { page: 'error'; message: string };

export const stylesheetPath = '/oidc/assets/sign-in.css';

/** The Content-Security-Policy of every page: nothing but the stylesheet, forms only to here and the registered clients. */
export function pageSecurityHeaders(formTargets: readonly string[]): Record<string, string> {
  return {
    'content-security-policy': [
      "default-src 'none'",
      "style-src 'self'",
      "img-src 'self'",
      `form-action 'self' ${formTargets.join(' ')}`.trim(),
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

export function renderPage(view: PageView, locale: Locale, interaction?: string): string {
  const words = messages[locale];
  const hidden = (step: SignInStep) =>
    `<input type="hidden" name="interaction" value="${escape(interaction ?? '')}"><input type="hidden" name="step" value="${step}">`;
  const alert = (id: string, text: string | undefined) => (text ? `<p class="alert" id="${id}" role="alert">${escape(text)}</p>` : '');
  const described = (id: string, text: string | undefined, also?: string) => {
    const ids = [text ? id : undefined, also].filter(Boolean).join(' ');
    return ids ? ` aria-describedby="${ids}"` : '';
  };
  const invalid = (text: string | undefined) => (text ? ' aria-invalid="true"' : '');
  const field = (name: string, label: string, attributes: string) =>
    `<div class="field"><label for="${name}">${escape(label)}</label><input id="${name}" name="${name}" ${attributes}></div>`;
  const passwordRules = () =>
    `<div id="password-rules"><p>${escape(words.passwordRulesTitle)}</p><ul>${policyRules
      .map((rule) => `<li>${escape(words.rule[rule])}</li>`)
      .join('')}</ul></div>`;
  const newPasswordFields = (error: string | undefined) =>
    field('password', words.newPassword, `type="password" autocomplete="new-password" required${invalid(error)}${described('form-error', error, 'password-rules')}`) +
    field('confirm', words.confirmPassword, `type="password" autocomplete="new-password" required${invalid(error)}${described('form-error', error)}`) +
    passwordRules();
  const codeField = (name: string, label: string, error: string | undefined, hint?: string) =>
    field(
      name,
      label,
      `type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required${invalid(error)}${described('form-error', error, hint ? `${name}-hint` : undefined)}`,
    ) + (hint ? `<p class="hint" id="${name}-hint">${escape(hint)}</p>` : '');
  const submit = (label: string) => `<button type="submit">${escape(label)}</button>`;
  const lockoutNote = `<p class="hint">${escape(words.attemptsNote(lockoutFailures, lockoutMs / 60_000))}</p>`;

  let title: string;
  let content: string;
  switch (view.page) {
    case 'sign-in':
      title = words.signInTitle;
      content =
        (view.notice ? `<p class="notice" role="status">${escape(view.notice)}</p>` : '') +
        alert('form-error', view.error) +
        `<form method="post" action="/oidc/sign-in">${hidden('sign-in')}` +
        field('email', words.email, `type="email" autocomplete="username" required value="${escape(view.email ?? '')}"${invalid(view.error)}${described('form-error', view.error)}`) +
        field('password', words.password, `type="password" autocomplete="current-password" required${invalid(view.error)}${described('form-error', view.error)}`) +
        submit(words.signIn) +
        `</form>` +
        lockoutNote +
        `<form method="post" action="/oidc/sign-in" class="secondary">${hidden('forgot')}<input type="hidden" name="start" value="1"><button type="submit" class="link">${escape(words.forgotPassword)}</button></form>`;
      break;
    case 'new-password':
      title = words.newPasswordTitle;
      content =
        `<p>${escape(words.newPasswordIntro)}</p>` +
        alert('form-error', view.error) +
        `<form method="post" action="/oidc/sign-in">${hidden('new-password')}${newPasswordFields(view.error)}${submit(words.setPassword)}</form>`;
      break;
    case 'totp-setup':
      title = words.totpSetupTitle;
      content =
        `<p>${escape(words.totpSetupIntro)}</p>` +
        `<dl><dt>${escape(words.totpSecret)}</dt><dd><code id="totp-secret">${escape(view.secret.replace(/(.{4})/g, '$1 ').trim())}</code></dd></dl>` +
        `<p><a href="${escape(view.otpauthUri)}" id="otpauth-link">${escape(words.totpLink)}</a></p>` +
        alert('form-error', view.error) +
        `<form method="post" action="/oidc/sign-in">${hidden('totp-setup')}${codeField('code', words.totpCode, view.error, words.totpCodeHint)}${submit(words.verify)}</form>`;
      break;
    case 'totp':
      title = words.totpTitle;
      content =
        `<p>${escape(words.totpIntro)}</p>` +
        alert('form-error', view.error) +
        `<form method="post" action="/oidc/sign-in">${hidden('totp')}${codeField('code', words.totpCode, view.error, words.totpCodeHint)}${submit(words.verify)}</form>` +
        lockoutNote;
      break;
    case 'forgot':
      title = words.forgotTitle;
      content =
        `<p>${escape(words.forgotIntro)}</p>` +
        alert('form-error', view.error) +
        `<form method="post" action="/oidc/sign-in">${hidden('forgot')}` +
        field('email', words.email, `type="email" autocomplete="username" required${invalid(view.error)}${described('form-error', view.error)}`) +
        submit(words.sendCode) +
        `</form>` +
        backToSignIn();
      break;
    case 'reset':
      title = words.resetTitle;
      content =
        `<p>${escape(words.resetIntro(view.email))}</p>` +
        alert('form-error', view.error) +
        `<form method="post" action="/oidc/sign-in">${hidden('reset')}${codeField('code', words.resetCode, view.error)}${newPasswordFields(view.error)}${submit(words.setPassword)}</form>` +
        backToSignIn();
      break;
    case 'error':
      title = words.errorTitle;
      content = `<p class="alert" role="alert">${escape(view.message)}</p>`;
      break;
  }

  function backToSignIn(): string {
    return `<form method="post" action="/oidc/sign-in" class="secondary">${hidden('sign-in')}<input type="hidden" name="start" value="1"><button type="submit" class="link">${escape(words.backToSignIn)}</button></form>`;
  }

  const languageSwitch =
    interaction && view.page !== 'error'
      ? `<form method="post" action="/oidc/sign-in" class="languages" aria-label="${escape(words.language)}">${hidden(view.page)}<input type="hidden" name="language" value="1">` +
        (['en', 'zh-TW'] as const)
          .map((tag) => `<button type="submit" name="ui_locales" value="${tag}" class="link" lang="${tag}"${tag === locale ? ' aria-current="true"' : ''}>${tag === 'en' ? 'English' : '繁體中文'}</button>`)
          .join('') +
        `</form>`
      : '';

  return (
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escape(title)} · ${escape(words.productName)}</title><link rel="stylesheet" href="${stylesheetPath}"><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>` +
    `<body><header><p class="product">${escape(words.productName)}</p>${languageSwitch}</header><main><h1>${escape(title)}</h1>${content}</main></body></html>`
  );
}

export const stylesheet = `
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans TC", "PingFang TC", sans-serif; color: #16191f; background: #f2f3f3; line-height: 1.5; }
header { display: flex; justify-content: space-between; align-items: center; padding: 0.75rem 1.5rem; background: #232f3e; color: #ffffff; }
header .product { margin: 0; font-weight: 700; }
header .languages button { color: #ffffff; margin-left: 1rem; }
main { max-width: 28rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #ffffff; border-radius: 0.5rem; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.2); }
h1 { font-size: 1.5rem; margin-top: 0; }
.field { margin-bottom: 1rem; }
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
input { width: 100%; padding: 0.5rem; font: inherit; border: 1px solid #687078; border-radius: 0.25rem; }
input[aria-invalid="true"] { border-color: #b3261e; }
:focus-visible { outline: 3px solid #0972d3; outline-offset: 2px; }
button { font: inherit; cursor: pointer; }
button[type="submit"]:not(.link) { background: #0972d3; color: #ffffff; border: 0; border-radius: 1rem; padding: 0.5rem 1.25rem; font-weight: 700; }
button.link { background: none; border: 0; padding: 0; color: #0550ae; text-decoration: underline; }
a { color: #0550ae; }
.alert { color: #b3261e; border-left: 4px solid #b3261e; padding-left: 0.75rem; }
.notice { color: #1d6b1d; border-left: 4px solid #1d6b1d; padding-left: 0.75rem; }
.hint { color: #414d5c; font-size: 0.9rem; }
.secondary { margin-top: 1rem; }
code { font-size: 1.1rem; letter-spacing: 0.05em; word-break: break-all; }
`;
