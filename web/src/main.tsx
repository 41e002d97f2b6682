import '@cloudscape-design/global-styles/index.css';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Spinner from '@cloudscape-design/components/spinner';
import type { User } from 'oidc-client-ts';
import { StrictMode, Suspense, lazy, useCallback } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context';
import { NotificationsProvider } from './app/notifications';
import { findPage, publicPages } from './app/pages';
import { RouterProvider } from './app/router';
import { Shell } from './app/shell';
import { AuthProvider, useAuth } from './auth/auth-context';
import { callbackPath, completeSignIn, createSessionManager, loadConsoleConfig, signIn } from './auth/session';
import { LocaleProvider, initialLocale, useMessages } from './i18n/locale';
import { shellMessages } from './i18n/shell-messages';

const root = createRoot(document.getElementById('root')!);

function render(content: React.ReactNode) {
  root.render(
    <StrictMode>
      <LocaleProvider>
        {/* Keyed by the address, so that the router starts from where the sign-in callback left it (replaceState), not from /auth/callback. */}
        <RouterProvider key={window.location.pathname + window.location.search}>{content}</RouterProvider>
      </LocaleProvider>
    </StrictMode>,
  );
}

function SignInFailed({ error }: { error: unknown }) {
  const t = useMessages(shellMessages);
  return (
    <Box padding="xxl">
      <Alert type="error" header={t('signInFailed')} action={<Button onClick={() => window.location.assign('/')}>{t('tryAgain')}</Button>}>
        {error instanceof Error ? error.message : String(error)}
      </Alert>
    </Box>
  );
}

function Waiting() {
  const t = useMessages(shellMessages);
  return (
    <div role="status">
      <Box padding="xxl" textAlign="center">
        <Spinner size="large" /> {t('signingIn')}
      </Box>
    </div>
  );
}

const noToken = () => Promise.resolve(null);
const nothing = () => undefined;

function SignedIn() {
  const auth = useAuth();
  const signedOut = useCallback(() => void auth.manager.removeUser().then(() => window.location.reload()), [auth.manager]);
  return (
    <ApiProvider accessToken={auth.accessToken} onSignedOut={signedOut}>
      <NotificationsProvider dismissLabel="Dismiss">
        <Shell />
      </NotificationsProvider>
    </ApiProvider>
  );
}

async function start(): Promise<void> {
  const path = window.location.pathname;
  const publicPage = findPage(publicPages, path);
  if (publicPage) {
    const Page = lazy(publicPage.load);
    render(
      <ApiProvider accessToken={noToken} onSignedOut={nothing}>
        <Suspense fallback={<Spinner size="large" />}>
          <Page />
        </Suspense>
      </ApiProvider>,
    );
    return;
  }
  render(<Waiting />);
  const config = await loadConsoleConfig();
  const manager = createSessionManager(config);
  let user: User | null;
  if (path === callbackPath) {
    const completed = await completeSignIn(manager);
    user = completed.user;
    window.history.replaceState(null, '', completed.returnTo);
  } else {
    user = await manager.getUser();
    if (user?.expired) user = await manager.signinSilent().catch(() => null);
    if (!user) {
      await signIn(manager, path + window.location.search, initialLocale());
      return;
    }
  }
  render(
    <AuthProvider manager={manager} initialUser={user}>
      <SignedIn />
    </AuthProvider>,
  );
}

start().catch((error: unknown) => render(<SignInFailed error={error} />));
