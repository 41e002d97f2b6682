import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, createContext, useContext, useEffect, useRef, useState } from 'react';
import { useAuth } from '../auth/auth-context';
import { useRouter } from '../app/router';
import { type LiveStatus, startLiveClient } from './live-client';
import { invalidateAll, invalidateFor, screenPopPath } from './live-effects';

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
