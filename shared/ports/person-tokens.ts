import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { logger } from '../observability';

/**
 * People's access tokens: RS256 JWTs of the stage's Amazon Cognito user pool (on the twin, of its
 * local OIDC issuer, which makes the same claims). Verified with aws-jwt-verify: signature by a key
 * of the issuer's JWKS (fetched once and cached by the verifier; a token naming an unknown `kid`
 * fetches it again, rate-limited by its penalty box), `iss`, `exp`, `token_use: access` and the
 * console's `client_id` (Cognito access tokens carry no `aud`).
 *
 * Configured by PEOPLE_TOKEN_ISSUER, PEOPLE_JWKS_URI and PEOPLE_CLIENT_ID; without them no person
 * token is accepted.
 */
export interface VerifiedPersonToken {
  /** The sign-in account's subject (`sub`). */
  subject: string;
  /** When the token was issued (epoch seconds). */
  issuedAt: number;
}

/** The issuer's keys could not be read: no token can be verified, which is the service's fault, not the caller's. */
class JwksUnavailableError extends Error {
  override name = 'JwksUnavailableError';
}

/** The runtime's fetch, which also reads the twin's http:// JWKS (aws-jwt-verify's own fetcher speaks https only). */
const jwksFetcher: Fetcher = {
  async fetch(uri) {
    const response = await fetch(uri, { signal: AbortSignal.timeout(3000) }).catch((error: unknown) => {
      throw new JwksUnavailableError(`JWKS not reachable: ${(error as Error).name}`);
    });
    if (response.status !== 200) throw new JwksUnavailableError(`JWKS answered ${response.status}`);
    return response.arrayBuffer();
  },
};

type Verifier = { verify(token: string): Promise<Record<string, unknown>> };
let verifier: { config: string; verifier: Verifier } | undefined;

function personTokenVerifier(): Verifier | undefined {
  const issuer = process.env.PEOPLE_TOKEN_ISSUER;
  const jwksUri = process.env.PEOPLE_JWKS_URI;
  const clientId = process.env.PEOPLE_CLIENT_ID;
  if (!issuer || !jwksUri || !clientId) return undefined;
  const config = `${issuer} ${jwksUri} ${clientId}`;
  if (verifier?.config !== config) {
    const created = JwtRsaVerifier.create(
      {
        issuer,
        jwksUri,
        audience: null,
        customJwtCheck: ({ payload }) => {
          if (payload.token_use !== 'access') throw new Error('Not an access token');
          if (payload.client_id !== clientId) throw new Error('Issued to another client');
          if (typeof payload.sub !== 'string' || typeof payload.iat !== 'number') throw new Error('No subject or issue time');
        },
      },
      { jwksCache: new SimpleJwksCache({ fetcher: jwksFetcher }) },
    );
    verifier = { config, verifier: created as unknown as Verifier };
  }
  return verifier.verifier;
}

/** The token's subject and issue time when it is a valid access token of the people's issuer; undefined otherwise. */
export async function verifyPersonToken(token: string): Promise<VerifiedPersonToken | undefined> {
  const current = personTokenVerifier();
  if (!current) return undefined;
  try {
    const payload = await current.verify(token);
    return { subject: payload.sub as string, issuedAt: payload.iat as number };
  } catch (error) {
    // Refused as any invalid token is (the person signs in again), but recorded as the outage it is.
    if (error instanceof JwksUnavailableError) logger.error('People cannot be signed in: the issuer\'s keys are unavailable', { reason: error.message });
    return undefined;
  }
}
