import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { getPersonAndTenantStateBySubject } from '../../shared/data/people-repo';
import { sessionStillValid } from '../../shared/domain/person';
import { live } from '../../shared/http/functions';
import { verifyPersonToken } from '../../shared/ports/person-tokens';
import { logger } from '../../shared/observability';

/** What `$connect` and later routes of the connection find in requestContext.authorizer. */
export interface LiveAuthorizerContext {
  tenantId: string;
  personId: string;
  agentId: string;
  role: string;
}

/** The access token a console offers as a subprotocol (`switchboard-live.v1, bearer.<token>`). */
export function offeredToken(headers: Record<string, string | undefined> | null | undefined): string | undefined {
  const header = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'sec-websocket-protocol')?.[1];
  const offered = (header ?? '').split(',').map((value) => value.trim());
  if (!offered.includes(live.protocol)) return undefined;
  const token = offered.find((value) => value.startsWith(live.tokenPrefix))?.slice(live.tokenPrefix.length);
  return token && token.split('.').length === 3 ? token : undefined;
}

const policy = (effect: 'Allow' | 'Deny', methodArn: string, principalId: string, context?: LiveAuthorizerContext): APIGatewayAuthorizerResult => ({
  principalId,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: methodArn }] },
  ...(context && { context: { ...context } }),
});

/**
 * The live channel's `$connect` authorizer (WebSocket, REQUEST type, identity source the
 * Sec-WebSocket-Protocol header). Only people: a valid access token of the people's issuer, an
 * active person whose sessions it is still within, of an active tenant. Anything else is denied,
 * which API Gateway answers with 403 before any connection exists. The tenant, agent id and role
 * come from the table, never from the token.
 */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const token = offeredToken(event.headers);
  if (!token) {
    logger.info('Live connection refused: no access token offered');
    return policy('Deny', event.methodArn, 'anonymous');
  }
  const verified = await verifyPersonToken(token);
  if (!verified) {
    logger.info('Live connection refused: not a valid access token');
    return policy('Deny', event.methodArn, 'anonymous');
  }
  const found = await getPersonAndTenantStateBySubject(verified.subject);
  const person = found?.person;
  if (!found || !person || person.state === 'deactivated' || !sessionStillValid(person, verified.issuedAt) || found.tenantState !== 'active') {
    logger.info('Live connection refused', { tenantId: person?.tenantId, personId: person?.personId, state: person?.state, tenantState: found?.tenantState });
    return policy('Deny', event.methodArn, 'anonymous');
  }
  return policy('Allow', event.methodArn, `person:${person.personId}`, {
    tenantId: person.tenantId,
    personId: person.personId,
    agentId: person.agentId,
    role: person.role,
  });
}
