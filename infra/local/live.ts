import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { live } from '../../shared/http/functions';
import type { InvokeFunction } from './event-bus';

const accountId = '000000000000';
const liveApiId = 'localtwinlive';
const stage = 'live';

/**
 * The twin's stand-in for the live channel's API Gateway WebSocket API (infra/live-stack.ts),
 * on the twin's own port at `live.path`, with the same functions:
 * - an upgrade runs `live-authorizer` as a REQUEST authorizer of `$connect` (a Deny is 403, as
 *   API Gateway answers, and no connection exists), then `live-connections` with the
 *   authorizer's context; anything but 200 refuses the upgrade with that status;
 * - a message from the browser runs `live-connections` as `$default`, a close as `$disconnect`;
 * - the management API's PostToConnection, GetConnection and DeleteConnection
 *   (`/@connections/{id}` on the AWS emulator's port), so that shared/ports/live-push.ts runs
 *   unchanged: a connection that is not open answers 410 GoneException.
 * Differences: no 10-minute idle timeout and no 2-hour limit on a connection.
 */
export class LocalLiveChannel {
  private readonly sockets = new Map<string, { socket: WebSocket; authorizer: Record<string, unknown>; connectedAt: number }>();
  private readonly server = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(live.protocol) ? live.protocol : false),
  });
  /** Every message posted, newest last (tests read it); at most 200. */
  readonly posted: { connectionId: string; data: unknown; at: string }[] = [];

  constructor(private readonly invoke: InvokeFunction) {}

  /** The open connections, for GET /local/live. */
  get connections(): { connectionId: string; tenantId: unknown; agentId: unknown; connectedAt: string }[] {
    return [...this.sockets].map(([connectionId, { authorizer, connectedAt }]) => ({
      connectionId,
      tenantId: authorizer.tenantId,
      agentId: authorizer.agentId,
      connectedAt: new Date(connectedAt).toISOString(),
    }));
  }

  /** Takes an HTTP upgrade on `live.path`; any other path is not a WebSocket endpoint. */
  async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== live.path) return refuse(socket, 404, 'Not Found');
    const connectionId = randomBytes(12).toString('base64').replace(/[+/]/g, 'A');
    const connectedAt = Date.now();
    const headers = lowercaseHeaders(request);
    const requestContext = {
      routeKey: '$connect',
      eventType: 'CONNECT' as const,
      connectionId,
      connectedAt,
      apiId: liveApiId,
      stage,
      domainName: headers.host ?? 'localhost',
      requestId: randomBytes(8).toString('hex'),
      identity: { sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '') },
    };
    let answer: AuthorizerAnswer;
    try {
      answer = (await this.invoke('live-authorizer', {
        type: 'REQUEST',
        methodArn: `arn:aws:execute-api:${process.env.AWS_REGION ?? 'local'}:${accountId}:${liveApiId}/${stage}/$connect`,
        headers,
        multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
        queryStringParameters: {},
        requestContext,
      })) as AuthorizerAnswer;
    } catch (error) {
      console.error('[twin] switchboard-live-authorizer failed:', error);
      return refuse(socket, 500, 'Internal Server Error');
    }
    const allowed = answer?.policyDocument?.Statement?.every((statement) => statement.Effect === 'Allow') && answer.policyDocument.Statement.length > 0;
    if (!allowed) return refuse(socket, 403, 'Forbidden');
    const authorizer = { ...answer.context, principalId: answer.principalId };
    let connected: { statusCode?: number } | undefined;
    try {
      connected = (await this.invoke('live-connections', { requestContext: { ...requestContext, authorizer }, headers, isBase64Encoded: false })) as typeof connected;
    } catch (error) {
      console.error('[twin] switchboard-live-connections failed on $connect:', error);
      return refuse(socket, 500, 'Internal Server Error');
    }
    const status = connected?.statusCode ?? 200;
    if (status !== 200) return refuse(socket, status, 'Refused');
    this.server.handleUpgrade(request, socket, head, (webSocket) => {
      this.sockets.set(connectionId, { socket: webSocket, authorizer, connectedAt });
      const routed = (routeKey: string, eventType: 'MESSAGE' | 'DISCONNECT', body?: string) =>
        this.invoke('live-connections', { requestContext: { ...requestContext, routeKey, eventType, authorizer }, ...(body !== undefined && { body }), isBase64Encoded: false }).catch(
          (error: unknown) => console.error(`[twin] switchboard-live-connections failed on ${routeKey}:`, error),
        );
      webSocket.on('message', (data) => void routed('$default', 'MESSAGE', Buffer.from(data as Buffer).toString('utf8')));
      webSocket.on('close', () => {
        this.sockets.delete(connectionId);
        void routed('$disconnect', 'DISCONNECT');
      });
    });
  }

  /** The management API (`/@connections/{id}`) on the AWS emulator's port; false when the path is not its. */
  serveManagementApi(method: string, path: string, body: Buffer, response: ServerResponse): boolean {
    const match = /^\/@connections\/([^/]+)$/.exec(path);
    if (!match) return false;
    const connectionId = decodeURIComponent(match[1]!);
    const open = this.sockets.get(connectionId);
    if (!open || open.socket.readyState !== WebSocket.OPEN) {
      response.writeHead(410, { 'content-type': 'application/json', 'x-amzn-errortype': 'GoneException' }).end(JSON.stringify({ message: 'Gone' }));
      return true;
    }
    if (method === 'POST') {
      const text = body.toString('utf8');
      open.socket.send(text);
      this.posted.push({ connectionId, data: parseJson(text), at: new Date().toISOString() });
      if (this.posted.length > 200) this.posted.shift();
      response.writeHead(200, { 'content-length': '0' }).end();
    } else if (method === 'DELETE') {
      open.socket.close(1000);
      response.writeHead(204).end();
    } else if (method === 'GET') {
      const text = JSON.stringify({ connectedAt: new Date(open.connectedAt).toISOString(), identity: {}, lastActiveAt: new Date().toISOString() });
      response.writeHead(200, { 'content-type': 'application/json' }).end(text);
    } else {
      response.writeHead(405, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `${method} is not allowed` }));
    }
    return true;
  }

  /** Closes every connection (the twin is stopping); their $disconnect runs as usual. */
  close(): void {
    for (const { socket } of this.sockets.values()) socket.terminate();
    this.server.close();
  }
}

interface AuthorizerAnswer {
  principalId?: string;
  policyDocument?: { Statement?: { Effect?: string }[] };
  context?: Record<string, unknown>;
}

function lowercaseHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase();
    headers[name] = name in headers ? `${headers[name]},${request.rawHeaders[i + 1]}` : request.rawHeaders[i + 1]!;
  }
  return headers;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Answers an upgrade request with a plain HTTP status, as API Gateway does when `$connect` is refused. */
function refuse(socket: Duplex, status: number, reason: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
