/**
 * The console's security headers, one declaration for both places that serve it: CloudFront's
 * response headers policy in AWS (infra/edge-stack.ts) and the local twin (infra/local/console.ts).
 *
 * No inline script and no eval: Vite's build emits only module files. Styles: Cloudscape's CSS
 * comes from files, and React sets `style` through the CSSOM, which CSP does not govern, so
 * 'self' suffices. `connect-src` adds the sign-in issuer (Cognito's token endpoint is on
 * another origin in AWS; on the twin it is the same origin).
 */
export function consoleContentSecurityPolicy(issuerOrigins: readonly string[] = []): string {
  const connect = ["'self'", ...new Set(issuerOrigins)].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const consoleSecurityHeaders = (issuerOrigins: readonly string[] = []): Record<string, string> => ({
  'content-security-policy': consoleContentSecurityPolicy(issuerOrigins),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
});

/** The console's client id at the sign-in issuer; the twin's issuer registers it with this id. */
export const localConsoleClientId = 'switchboard-console';
