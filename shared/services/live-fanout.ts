import { deleteLiveConnection, listLiveConnections } from '../data/live-connections-repo';
import { type LiveAudience, type LiveMessage, reaches } from '../domain/live';
import { postToConnection } from '../ports/live-push';
import { MetricUnit, logger, metrics } from '../observability';

export interface FanoutResult {
  sent: number;
  gone: number;
  failed: number;
}

/**
 * Sends `message` to every open connection of the tenant its audience reaches. A connection
 * found gone is forgotten; one that fails otherwise is logged and counted, never retried: the
 * console refetches everything when it reconnects, so a lost message costs a refresh, not data.
 */
export async function pushToAudience(tenantId: string, audience: LiveAudience, message: LiveMessage): Promise<FanoutResult> {
  // One agent and no role: that agent's own connections (a Query on their prefix); else the tenant's.
  const onlyAgent = audience.roles.length === 0 && audience.agentIds.length === 1 ? audience.agentIds[0] : undefined;
  if (audience.roles.length === 0 && audience.agentIds.length === 0) return { sent: 0, gone: 0, failed: 0 };
  const connections = (await listLiveConnections(tenantId, onlyAgent)).filter((connection) => reaches(audience, connection));
  const result: FanoutResult = { sent: 0, gone: 0, failed: 0 };
  await Promise.all(
    connections.map(async (connection) => {
      try {
        const outcome = await postToConnection(connection.connectionId, message);
        if (outcome === 'sent') {
          result.sent++;
          return;
        }
        result.gone++;
        await deleteLiveConnection(tenantId, connection.agentId, connection.connectionId);
      } catch (error) {
        result.failed++;
        logger.warn('Live message not delivered', { connectionId: connection.connectionId, messageType: message.type, error: (error as Error).name });
      }
    }),
  );
  logger.info('Live message pushed', { messageType: message.type, ...result });
  metrics.addMetric('LiveMessagesSent', MetricUnit.Count, result.sent);
  if (result.failed > 0) metrics.addMetric('LiveMessagesFailed', MetricUnit.Count, result.failed);
  return result;
}
