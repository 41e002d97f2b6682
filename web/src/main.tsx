import '@cloudscape-design/global-styles/index.css';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Spinner from '@cloudscape-design/components/spinner';
import type { User, UserManager } from 'oidc-client-ts';
import { StrictMode, Suspense, lazy, useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context';
import { NotificationsProvider } from './app/notifications';
import { findPage, publicPages } from './app/pages';
import { RouterProvider } from './app/router';
import { Shell } from './app/shell';
import { AuthProvider, useAuth } from './auth/auth-context';
import { callbackPath, completeSignIn, createSessionManager, framed, loadConsoleConfig, popupCallbackPath, signIn, signInWithPopup } from './auth/session';
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

/**
 * Inside Amazon Connect's agent workspace the console is framed by another site: the sign-in pages
 * cannot be framed, and a browser opens a pop-up only on a click. So the person clicks to sign in.
 */
function FramedSignIn({ manager, onSignedIn }: { manager: UserManager; onSignedIn: (user: User) => void }) {
  const t = useMessages(shellMessages);
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const start = () => {
    setBusy(true);
    setFailure(undefined);
    signInWithPopup(manager, initialLocale())
      .then(onSignedIn)
      .catch((error: unknown) => setFailure(error))
      .finally(() => setBusy(false));
  };
  return (
    <Box padding="xxl">
      <Box variant="h1">{t('framedSignInTitle')}</Box>
      <Box variant="p">{t('framedSignInText')}</Box>
      {failure !== undefined && (
        <Alert type="error" header={t('signInFailed')}>
          {failure instanceof Error ? failure.message : String(failure)}
        </Alert>
      )}
      <Box margin={{ top: 'm' }}>
        <Button variant="primary" loading={busy} onClick={start}>
          {t('framedSignIn')}
        </Button>
      </Box>
    </Box>
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
  if (path === popupCallbackPath) {
    // The pop-up hands the answer to the framed console that opened it, which finishes signing in, and closes.
    await manager.signinPopupCallback();
    return;
  }
  const signedIn = (user: User) =>
    render(
      <AuthProvider manager={manager} initialUser={user}>
        <SignedIn />
      </AuthProvider>,
    );
  let user: User | null;
  if (path === callbackPath) {
    const completed = await completeSignIn(manager);
    user = completed.user;
    window.history.replaceState(null, '', completed.returnTo);
  } else {
    user = await manager.getUser();
    if (user?.expired) user = await manager.signinSilent().catch(() => null);
    if (!user && framed()) {
      render(<FramedSignIn manager={manager} onSignedIn={signedIn} />);
      return;
    }
    if (!user) {
      await signIn(manager, path + window.location.search, initialLocale());
      return;
    }
  }
  signedIn(user);
}

start().catch((error: unknown) => render(<SignInFailed error={error} />));
