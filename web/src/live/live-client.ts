import { live } from '../../../shared/http/functions';

/** The live channel's messages (shared/domain/live.ts, LiveMessage): what changed, never the data. */
export type LiveMessage =
  | { type: 'case.assigned'; caseId: string; assignee: string | null }
  | { type: 'case.updated'; caseId: string; reason: string }
  | { type: 'case.deadline-near'; caseId: string; deadline: 'firstResponse' | 'resolution'; dueAt: string }
  | { type: 'screen-pop'; contactId: string; phone?: string; customerId?: string };

export type LiveStatus = 'connecting' | 'connected' | 'reconnecting';

export interface LiveClientOptions {
  /** The person's current access token (renewed by the session), or null once signed out. */
  accessToken(): Promise<string | null>;
  onMessage(message: LiveMessage): void;
  onStatus(status: LiveStatus): void;
  /** After every (re)connection: whatever changed while the channel was down is refetched. */
  onConnected(): void;
  /** For tests: where the channel is; the console's own origin by default. */
  url?: string;
}

/** Backoff after a lost connection: 1 s, 2 s, 4 s … at most 30 s, each with up to a third more at random. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 + random() / 3));
}

/** API Gateway closes a WebSocket idle for 10 minutes; the console says something every 9. */
const keepAliveMs = 9 * 60 * 1000;

const messageTypes = new Set(['case.assigned', 'case.updated', 'case.deadline-near', 'screen-pop']);

/** A message of the contract, or undefined for anything else (a later server's new type is ignored). */
export function readLiveMessage(data: unknown): LiveMessage | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const parsed = JSON.parse(data) as { type?: unknown };
    return typeof parsed?.type === 'string' && messageTypes.has(parsed.type) ? (parsed as LiveMessage) : undefined;
  } catch {
    return undefined;
  }
}

export const liveUrl = (location: Pick<Location, 'protocol' | 'host'>) => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${live.path}`;

/**
 * The console's end of the live channel: opens the WebSocket with the person's access token
 * offered as a subprotocol (never in the URL), reconnects with backoff and a fresh token when it
 * drops, keeps it alive, and hands each message on. `stop()` ends it for good.
 */
export function startLiveClient(options: LiveClientOptions): { stop(): void; reconnectNow(): void } {
  let socket: WebSocket | undefined;
  let attempt = 0;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let keepAlive: ReturnType<typeof setInterval> | undefined;

  const scheduleReconnect = () => {
    if (stopped) return;
    options.onStatus('reconnecting');
    attempt += 1;
    retry = setTimeout(() => void open(), reconnectDelayMs(attempt));
  };

  const open = async () => {
    retry = undefined;
    if (stopped) return;
    const token = await options.accessToken().catch(() => null);
    if (stopped) return;
    if (!token) return scheduleReconnect();
    const current = new WebSocket(options.url ?? liveUrl(window.location), [live.protocol, `${live.tokenPrefix}${token}`]);
    socket = current;
    current.onopen = () => {
      attempt = 0;
      options.onStatus('connected');
      options.onConnected();
      keepAlive = setInterval(() => current.readyState === WebSocket.OPEN && current.send('{"action":"ping"}'), keepAliveMs);
    };
    current.onmessage = (event) => {
      const message = readLiveMessage(event.data);
      if (message) options.onMessage(message);
    };
    current.onclose = () => {
      clearInterval(keepAlive);
      if (socket === current) scheduleReconnect();
    };
  };

  options.onStatus('connecting');
  void open();
  return {
    stop() {
      stopped = true;
      clearTimeout(retry);
      clearInterval(keepAlive);
      socket?.close(1000);
    },
    reconnectNow() {
      if (stopped || socket?.readyState === WebSocket.OPEN) return;
      clearTimeout(retry);
      attempt = 0;
      void open();
    },
  };
}
