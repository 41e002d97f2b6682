import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../schemas/person';
import { db, tableName } from './client';
import { tenantPrefix } from './keys';

/**
 * The live channel's open connections (one per open console tab), in one partition per tenant:
 * `T#<tenantId>#LIVE`, sort key `AGENT#<agentId>#CONN#<connectionId>`. A push to one agent is a
 * Query on that agent's prefix; a push to supervisors is a Query of the tenant's partition (a
 * firm's few dozen open desks), filtered by role. Items expire by TTL a little after API
 * Gateway's 2-hour limit on a connection, in case a `$disconnect` was never delivered.
 */
export interface LiveConnection {
  connectionId: string;
  tenantId: string;
  personId: string;
  agentId: string;
  role: Role;
  connectedAt: string;
}

/** API Gateway closes a WebSocket after 2 hours at the latest; the item outlives it by an hour. */
export const liveConnectionLifetimeSeconds = 3 * 60 * 60;

const partition = (tenantId: string) => `${tenantPrefix(tenantId)}#LIVE`;
const agentPrefix = (agentId: string) => `AGENT#${agentId}#CONN#`;
const connectionKey = (tenantId: string, agentId: string, connectionId: string) => ({
  pk: partition(tenantId),
  sk: `${agentPrefix(agentId)}${connectionId}`,
});

export async function putLiveConnection(connection: LiveConnection): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...connectionKey(connection.tenantId, connection.agentId, connection.connectionId),
        type: 'LiveConnection',
        ...connection,
        expiresAt: Math.floor(Date.parse(connection.connectedAt) / 1000) + liveConnectionLifetimeSeconds,
      },
    }),
  );
}

/** Forgets a connection: on `$disconnect`, or when a push finds it gone. Deleting one already gone is fine. */
export async function deleteLiveConnection(tenantId: string, agentId: string, connectionId: string): Promise<void> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: connectionKey(tenantId, agentId, connectionId) }));
}

/** The open connections of one agent of the tenant, or (no agent) of the whole tenant. */
export async function listLiveConnections(tenantId: string, agentId?: string): Promise<LiveConnection[]> {
  const found: LiveConnection[] = [];
  let startKey: Record<string, unknown> | undefined;
  const nowSeconds = Math.floor(Date.now() / 1000);
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: agentId === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partition(tenantId), ...(agentId !== undefined && { ':prefix': agentPrefix(agentId) }) },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      // TTL deletes within days, not at once: an expired item is a connection long closed.
      if (typeof item.expiresAt === 'number' && item.expiresAt < nowSeconds) continue;
      found.push({
        connectionId: String(item.connectionId),
        tenantId: String(item.tenantId),
        personId: String(item.personId),
        agentId: String(item.agentId),
        role: item.role as Role,
        connectedAt: String(item.connectedAt),
      });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}
