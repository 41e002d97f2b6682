import type { AwsEmulator } from '../aws-emulator';
import { localMailFrom } from '../aws-emulator';
import { LocalIssuer, consoleClient, consoleClientId } from './issuer';

export { LocalIssuer, consoleClientId } from './issuer';
export { IdentityStore } from './user-store';
export { localUserPoolId } from './cognito-api';

/**
 * The twin's sign-in service for people, once its port is known: the issuer is
 * `http://localhost:<port>/oidc` (the console's origin, as browsers reach it), the console client
 * is registered for that origin (and the twin's own address, when it differs, and any
 * `extraConsoleOrigins` such as a Vite dev server), and the functions find the authorizer's
 * settings in their environment.
 */
export function startLocalIssuer(aws: AwsEmulator, options: { port: number; twinUrl: string; extraConsoleOrigins?: readonly string[] }): {
  issuer: LocalIssuer;
  consoleUrl: string;
  environment: Record<string, string>;
} {
  const consoleUrl = `http://localhost:${options.port}`;
  const origins = [...new Set([consoleUrl, new URL(options.twinUrl).origin, ...(options.extraConsoleOrigins ?? [])])];
  const issuer = new LocalIssuer({
    issuer: `${consoleUrl}/oidc`,
    clients: [consoleClient(origins)],
    store: aws.identity,
    mail: aws.mail,
    mailFrom: localMailFrom,
  });
  return {
    issuer,
    consoleUrl,
    environment: {
      PEOPLE_TOKEN_ISSUER: issuer.issuer,
      // The functions run in the twin's process: they fetch the keys from the address it listens on.
      PEOPLE_JWKS_URI: `${options.twinUrl}/oidc/.well-known/jwks.json`,
      PEOPLE_CLIENT_ID: consoleClientId,
      // Mails link to the console where people sign in (shared/ports/mail.ts consoleLink), not to the twin's 127.0.0.1 address.
      CONSOLE_URL: consoleUrl,
    },
  };
}
