/**
 * HSTS as the API asks for it: declared once, sent by every function (shared/http/handler.ts) and
 * by the edge's response headers policy (infra/edge-stack.ts), which also covers the answers API
 * Gateway and WAF give without a function (401 without a key, 429, blocks).
 */
export const strictTransportSecurity = { maxAgeSeconds: 31_536_000, includeSubdomains: true } as const;

/**
 * Headers on every answer a function gives, whatever its type: browsers must not sniff a JSON or
 * CSV body into HTML, and must reach the API over HTTPS only.
 */
export const transportSecurityHeaders = {
  'x-content-type-options': 'nosniff',
  'strict-transport-security': `max-age=${strictTransportSecurity.maxAgeSeconds}${strictTransportSecurity.includeSubdomains ? '; includeSubDomains' : ''}`,
} as const;
