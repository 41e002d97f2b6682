import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { deleteLiveConnection, putLiveConnection } from '../../shared/data/live-connections-repo';
import { live } from '../../shared/http/functions';
import { logger } from '../../shared/observability';
import { Role } from '../../shared/schemas/person';

/** The part of API Gateway's WebSocket event this function reads. */
export interface LiveConnectionEvent {
  requestContext: {
    routeKey: string;
    eventType: 'CONNECT' | 'DISCONNECT' | 'MESSAGE';
    connectionId: string;
    connectedAt?: number;
    /** The `$connect` authorizer's context (functions/live-authorizer), on every route of the connection. */
    authorizer?: Record<string, unknown> | null;
  };
}

function callerOf(event: LiveConnectionEvent) {
  const context = event.requestContext.authorizer ?? {};
  const role = Role.safeParse(context.role);
  const [tenantId, personId, agentId] = [context.tenantId, context.personId, context.agentId];
  if (typeof tenantId !== 'string' || typeof personId !== 'string' || typeof agentId !== 'string' || !role.success) return undefined;
  return { tenantId, personId, agentId, role: role.data };
}

/**
 * The live channel's routes: `$connect` records the connection under its person (from the
 * authorizer's context) and selects the channel's subprotocol; `$disconnect` forgets it;
 * `$default` takes the console's keep-alive (API Gateway closes a connection idle for 10 minutes)
 * and answers nothing. The console sends nothing else: the channel speaks from server to browser.
 */
export async function handler(event: LiveConnectionEvent): Promise<APIGatewayProxyResultV2> {
  const { eventType, connectionId } = event.requestContext;
  const caller = callerOf(event);
  if (eventType === 'CONNECT') {
    if (!caller) {
      // The authorizer always gives these; without them nobody could be told anything on this connection.
      logger.error('Live connection without its authorizer context; refused');
      return { statusCode: 403 };
    }
    const connectedAt = new Date(event.requestContext.connectedAt ?? Date.now()).toISOString();
    await putLiveConnection({ connectionId, connectedAt, ...caller });
    logger.info('Live connection opened', { tenantId: caller.tenantId, personId: caller.personId });
    return { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': live.protocol } };
  }
  if (eventType === 'DISCONNECT') {
    if (caller) await deleteLiveConnection(caller.tenantId, caller.agentId, connectionId);
    return { statusCode: 200 };
  }
  return { statusCode: 200 };
}
