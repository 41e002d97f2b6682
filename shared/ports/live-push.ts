import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';

/**
 * Sends one message down one WebSocket connection of the live channel: API Gateway's management
 * API (PostToConnection) at LIVE_MANAGEMENT_ENDPOINT, `https://<api id>.execute-api.<region>.amazonaws.com/<stage>`
 * in AWS, the local twin's emulation of it on the twin. A connection that is gone (410) is
 * reported as such, for the caller to forget it; any other failure throws.
 */
let client: ApiGatewayManagementApiClient | undefined;
function managementClient(): ApiGatewayManagementApiClient {
  const endpoint = process.env.LIVE_MANAGEMENT_ENDPOINT;
  if (!endpoint) throw new Error('LIVE_MANAGEMENT_ENDPOINT is not set: the function cannot reach the live channel');
  client ??= new ApiGatewayManagementApiClient({ endpoint });
  return client;
}

export async function postToConnection(connectionId: string, message: unknown): Promise<'sent' | 'gone'> {
  try {
    await managementClient().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode(JSON.stringify(message)) }));
    return 'sent';
  } catch (error) {
    if (error instanceof GoneException || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410) return 'gone';
    throw error;
  }
}
