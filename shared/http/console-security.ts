/**
 * Amazon Connect's domains, where an instance's Contact Control Panel is served
 * (`https://<alias>.my.connect.aws/ccp-v2/`, or the older `https://<alias>.awsapps.com/connect/ccp-v2/`).
 * The desk frames the CCP of the tenant's own instance; the policy is the same for every tenant,
 * so it names Connect's domains rather than one instance. Only AWS issues names under them, and
 * the setting accepts no other host (shared/schemas/settings.ts ConnectAccessUrl).
 */
export const connectFrameSources = ['https://*.my.connect.aws', 'https://*.awsapps.com'] as const;

/**
 * The desk as a third-party application inside Amazon Connect's agent workspace
 * (`https://<alias>.my.connect.aws/agent-app-v2/`): the one console page that may be framed, and
 * only by Connect. Every other page keeps `frame-ancestors 'none'` and X-Frame-Options DENY.
 */
export const workspaceAppPath = '/desk/workspace-app';
export const workspaceFrameAncestors = ['https://*.my.connect.aws'] as const;

/**
 * Where sign-in comes back to on the console's origin: the app client's callback and sign-out
 * URLs (Cognito's in AWS, the twin's issuer) and the console's own routes. A page framed by
 * Connect's agent workspace signs in through a pop-up, which comes back to `popupCallback`.
 */
export const consoleSignInPaths = { callback: '/auth/callback', popupCallback: '/auth/popup-callback', afterSignOut: '/' } as const;

export interface ConsolePolicyOptions {
  /** Who may frame the page: none unless given (the workspace app's page only). */
  frameAncestors?: readonly string[];
}

/**
 * The console's security headers, one declaration for both places that serve it: CloudFront's
 * response headers policy in AWS (infra/edge-stack.ts) and the local twin (infra/local/console.ts).
 *
 * No inline script and no eval: Vite's build emits only module files. Styles: Cloudscape's CSS
 * comes from files, and React sets `style` through the CSSOM, which CSP does not govern, so
 * 'self' suffices. `connect-src` adds the sign-in issuer (Cognito's token endpoint is on
 * another origin in AWS; on the twin it is the same origin).
 */
export function consoleContentSecurityPolicy(issuerOrigins: readonly string[] = [], options: ConsolePolicyOptions = {}): string {
  const connect = ["'self'", ...new Set(issuerOrigins)].join(' ');
  const ancestors = options.frameAncestors?.length ? options.frameAncestors.join(' ') : "'none'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    `frame-src ${connectFrameSources.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/**
 * The CCP's softphone needs the microphone inside its frame: the console lets Connect's domains
 * have it (the iframe asks with `allow="microphone"`), and keeps it for itself; no camera or location.
 */
const permissionsPolicy = `camera=(), microphone=(self ${connectFrameSources.map((source) => `"${source}"`).join(' ')}), geolocation=()`;

/** The console's headers; `path` the request's path: the workspace app's page alone may be framed, by Connect. */
export const consoleSecurityHeaders = (issuerOrigins: readonly string[] = [], path = '/'): Record<string, string> => {
  const framedByConnect = path === workspaceAppPath;
  return {
    'content-security-policy': consoleContentSecurityPolicy(issuerOrigins, framedByConnect ? { frameAncestors: workspaceFrameAncestors } : {}),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    // X-Frame-Options has no "allow this origin": for the framed page, frame-ancestors alone decides.
    ...(!framedByConnect && { 'x-frame-options': 'DENY' }),
    'permissions-policy': permissionsPolicy,
  };
};

/** The console's client id at the sign-in issuer; the twin's issuer registers it with this id. */
export const localConsoleClientId = 'switchboard-console';
