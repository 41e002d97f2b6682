import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { type ReactNode, createContext, useContext, useMemo } from 'react';
import { type ConsoleClient, answer, createConsoleClient } from './client';

const ApiContext = createContext<ConsoleClient | undefined>(undefined);

/** Refused requests are not retried (a 4xx will not change); failures of the network are, twice. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (failures, error) => failures < 2 && !(error instanceof Error && 'status' in error && Number(error.status) < 500),
      staleTime: 30_000,
      refetchOnWindowFocus: true,
    },
    mutations: { retry: false },
  },
});

/** The signed-in console passes the person's token; the public pages (sign-up) pass none. */
export function ApiProvider({ accessToken, onSignedOut, children }: { accessToken: () => Promise<string | null>; onSignedOut: () => void; children: ReactNode }) {
  const client = useMemo(() => createConsoleClient(accessToken, onSignedOut), [accessToken, onSignedOut]);
  return (
    <QueryClientProvider client={queryClient}>
      <ApiContext.Provider value={client}>{children}</ApiContext.Provider>
    </QueryClientProvider>
  );
}

/** The typed client: `const api = useApi(); api.GET('/v1/customers', …)`. */
export function useApi(): ConsoleClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside ApiProvider');
  return client;
}

/** Who is signed in: person, role, scopes and tenant — the console's first call. */
export function useMe() {
  const api = useApi();
  return useQuery({ queryKey: ['me'], queryFn: () => answer(api.GET('/v1/me')), staleTime: 5 * 60_000 });
}
