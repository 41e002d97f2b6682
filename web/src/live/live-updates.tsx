import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, createContext, useContext, useEffect, useRef, useState } from 'react';
import { useAuth } from '../auth/auth-context';
import { useRouter } from '../app/router';
import { type LiveMessage, type LiveStatus, startLiveClient } from './live-client';

/** The pop URL any softphone can open (the desk's contract): by contact id, with the number when known. */
export function screenPopPath(message: Extract<LiveMessage, { type: 'screen-pop' }>): string {
  const query = new URLSearchParams({ contactId: message.contactId });
  if (message.phone) query.set('phone', message.phone);
  return `/desk/pop?${query.toString()}`;
}

/**
 * What a message makes stale (the desk's query keys): any list of cases (keys starting with
 * 'cases'), the case itself (['case', caseId]) and customers' overviews, which list open cases.
 */
export function invalidateFor(queryClient: Pick<QueryClient, 'invalidateQueries'>, message: LiveMessage): void {
  if (message.type === 'screen-pop') return;
  void queryClient.invalidateQueries({ queryKey: ['cases'] });
  void queryClient.invalidateQueries({ queryKey: ['case', message.caseId] });
  void queryClient.invalidateQueries({ queryKey: ['customer-overview'] });
}

/** After a gap every desk key may be stale. */
function invalidateAll(queryClient: Pick<QueryClient, 'invalidateQueries'>): void {
  for (const key of ['cases', 'case', 'customer-overview']) void queryClient.invalidateQueries({ queryKey: [key] });
}

interface LiveState {
  status: LiveStatus | 'off';
  reconnectNow(): void;
}
const LiveContext = createContext<LiveState>({ status: 'off', reconnectNow: () => undefined });

export const useLiveStatus = () => useContext(LiveContext);

/**
 * Runs the live channel while a person is signed in (`enabled`): invalidates what each message
 * changes and, on a screen pop, opens the pop page. API keys have no desk and no channel.
 */
export function LiveUpdates({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const auth = useAuth();
  const queryClient = useQueryClient();
  const { navigate } = useRouter();
  const [status, setStatus] = useState<LiveStatus | 'off'>('off');
  const control = useRef<{ stop(): void; reconnectNow(): void } | undefined>(undefined);
  // The latest callbacks, without restarting the channel when they change.
  const latest = useRef({ auth, navigate });
  latest.current = { auth, navigate };
  useEffect(() => {
    if (!enabled) return;
    let first = true;
    control.current = startLiveClient({
      accessToken: () => latest.current.auth.accessToken(),
      onStatus: setStatus,
      onConnected: () => {
        if (!first) invalidateAll(queryClient);
        first = false;
      },
      onMessage: (message) => {
        invalidateFor(queryClient, message);
        if (message.type === 'screen-pop') latest.current.navigate(screenPopPath(message));
      },
    });
    return () => {
      control.current?.stop();
      control.current = undefined;
      setStatus('off');
    };
  }, [enabled, queryClient]);
  return <LiveContext.Provider value={{ status, reconnectNow: () => control.current?.reconnectNow() }}>{children}</LiveContext.Provider>;
}
