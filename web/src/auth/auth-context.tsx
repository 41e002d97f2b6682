import type { User, UserManager } from 'oidc-client-ts';
import { type ReactNode, createContext, useContext, useEffect, useMemo, useState } from 'react';

interface AuthState {
  manager: UserManager;
  user: User | null;
  /** The access token to send, renewed when it is about to expire; null once the session is over. */
  accessToken(): Promise<string | null>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

export function AuthProvider({ manager, initialUser, children }: { manager: UserManager; initialUser: User | null; children: ReactNode }) {
  const [user, setUser] = useState<User | null>(initialUser);
  useEffect(() => {
    const loaded = (next: User) => setUser(next);
    const ended = () => setUser(null);
    manager.events.addUserLoaded(loaded);
    manager.events.addUserUnloaded(ended);
    manager.events.addSilentRenewError(ended);
    return () => {
      manager.events.removeUserLoaded(loaded);
      manager.events.removeUserUnloaded(ended);
      manager.events.removeSilentRenewError(ended);
    };
  }, [manager]);
  const value = useMemo<AuthState>(
    () => ({
      manager,
      user,
      accessToken: async () => {
        let current = await manager.getUser();
        if (current?.expired) current = await manager.signinSilent().catch(() => null);
        return current?.access_token ?? null;
      },
      signOut: async () => {
        await manager.removeUser();
        await manager.signoutRedirect();
      },
    }),
    [manager, user],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
