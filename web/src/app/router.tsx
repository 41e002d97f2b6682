import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';

/**
 * The console's navigation: the History API and nothing more (a router library would cost the
 * first page more than it gives a dozen flat pages).
 */
interface RouterState {
  path: string;
  query: URLSearchParams;
  navigate(to: string, options?: { replace?: boolean }): void;
}

const RouterContext = createContext<RouterState | undefined>(undefined);

const currentLocation = () => ({ path: window.location.pathname, search: window.location.search });

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const onPopState = () => setLocation(currentLocation());
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);
  const navigate = useCallback((to: string, options?: { replace?: boolean }) => {
    if (options?.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    setLocation(currentLocation());
    window.scrollTo(0, 0);
  }, []);
  const value = useMemo(
    () => ({ path: location.path, query: new URLSearchParams(location.search), navigate }),
    [location, navigate],
  );
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterState {
  const state = useContext(RouterContext);
  if (!state) throw new Error('useRouter outside RouterProvider');
  return state;
}

/**
 * For Cloudscape's `onFollow`: an ordinary click on an internal link stays in the app; a click
 * with a modifier (new tab) or on an external link is left to the browser.
 */
export function useFollow() {
  const { navigate } = useRouter();
  return useCallback(
    (event: CustomEvent<{ href?: string; external?: boolean }> & { detail: { href?: string; external?: boolean } }) => {
      const href = event.detail.href;
      if (!href || event.detail.external || !href.startsWith('/')) return;
      event.preventDefault();
      navigate(href);
    },
    [navigate],
  );
}
