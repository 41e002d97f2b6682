import AppLayout from '@cloudscape-design/components/app-layout';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SideNavigation, { type SideNavigationProps } from '@cloudscape-design/components/side-navigation';
import Spinner from '@cloudscape-design/components/spinner';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import Alert from '@cloudscape-design/components/alert';
import { Component, type ErrorInfo, type ReactNode, Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { queryClient, useApi, useMe } from '../api/api-context';
import { answer } from '../api/client';
import { useAuth } from '../auth/auth-context';
import { ProblemAlert } from '../components/problem';
import { type Locale, locales, useLocale, useMessages } from '../i18n/locale';
import { shellMessages } from '../i18n/shell-messages';
import { type ConsolePage, type NavigationSection, consolePages, findPage } from './pages';
import { Notifications } from './notifications';
import { useFollow, useRouter } from './router';
import { reaches } from './scopes';
import { LiveUpdates } from '../live/live-updates';
import { useLiveIndicator } from '../live/live-indicator';

const sections: NavigationSection[] = ['insights', 'work', 'configuration', 'administration'];
const lazyPages = new Map<string, ReturnType<typeof lazy>>();
const lazyPage = (page: ConsolePage) => {
  let loaded = lazyPages.get(page.path);
  if (!loaded) lazyPages.set(page.path, (loaded = lazy(page.load)));
  return loaded;
};

/** The signed-in console, with the live channel running for a person (web/src/live). */
export function Shell() {
  const me = useMe();
  return (
    <LiveUpdates enabled={me.data?.principal.kind === 'person'}>
      <ShellFrame />
    </LiveUpdates>
  );
}

/** The top bar, the navigation the person's role reaches, and the page. */
function ShellFrame() {
  const t = useMessages(shellMessages);
  const liveIndicator = useLiveIndicator();
  const { locale, setLocale, adoptTenantLocale } = useLocale();
  const { path } = useRouter();
  const follow = useFollow();
  const auth = useAuth();
  const api = useApi();
  const me = useMe();
  useEffect(() => adoptTenantLocale(me.data?.tenant.locale), [me.data?.tenant.locale, adoptTenantLocale]);
  // Agents land on their work (issue 14), not on the dashboard.
  const { navigate } = useRouter();
  const isAgent = me.data?.principal.kind === 'person' && me.data.principal.role === 'agent';
  useEffect(() => {
    if (isAgent && path === '/') navigate('/desk', { replace: true });
  }, [isAgent, path, navigate]);

  const scopes = me.data?.scopes ?? [];
  const visiblePages = useMemo(() => consolePages.filter((page) => !page.hidden && reaches(scopes, page.scope)), [scopes]);
  const navigationItems: SideNavigationProps.Item[] = sections.flatMap((section) => {
    const pages = visiblePages.filter((page) => page.section === section);
    if (pages.length === 0) return [];
    return [{ type: 'section', text: t(`section.${section}`), items: pages.map((page) => ({ type: 'link', text: page.title[locale], href: page.path })) }];
  });

  const page = findPage(consolePages, path);
  // While signing out, the page is gone: nothing refetches with a token that is about to be refused.
  const [signingOut, setSigningOut] = useState(false);
  let content: ReactNode;
  if (signingOut) content = <Spinner size="large" />;
  else if (me.isPending) content = <Spinner size="large" />;
  else if (me.error) content = <ProblemAlert error={me.error} />;
  else if (!page) content = <NotFound path={path} />;
  else if (!reaches(scopes, page.scope)) content = <NotAllowed tenant={me.data.tenant.name} />;
  else {
    const Page = lazyPage(page);
    content = (
      <PageErrorBoundary key={page.path} title={t('pageFailed')}>
        <Suspense fallback={<Spinner size="large" />}>
          <Page />
        </Suspense>
      </PageErrorBoundary>
    );
  }
  useEffect(() => {
    document.title = page ? `${page.title[locale]} · Switchboard` : 'Switchboard';
  }, [page, locale]);

  const signOut = async (everywhere: boolean) => {
    setSigningOut(true);
    await queryClient.cancelQueries();
    if (everywhere) await answer(api.POST('/v1/me/sign-out-everywhere')).catch(() => undefined);
    await auth.signOut();
  };
  const person = me.data?.principal.kind === 'person' ? me.data.principal : undefined;
  return (
    <>
      <div id="top-navigation" style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
        <TopNavigation
          identity={{ href: '/', title: me.data ? `${t('product')} · ${me.data.tenant.name}` : t('product'), onFollow: follow }}
          utilities={[
            ...liveIndicator,
            {
              type: 'menu-dropdown',
              text: t(`language.${locale}`),
              ariaLabel: `${t('language')}: ${t(`language.${locale}`)}`,
              iconName: 'globe',
              items: locales.map((id) => ({ id, text: t(`language.${id}`), lang: id })),
              onItemClick: (event) => setLocale(event.detail.id as Locale),
            },
            {
              type: 'menu-dropdown',
              text: person?.displayName ?? person?.email ?? (me.data?.principal.kind === 'key' ? t('apiKey', { keyId: me.data.principal.keyId }) : (auth.user?.profile.email ?? t('account'))),
              description: person ? t('role', { role: t(`role.${person.role}`) }) : undefined,
              iconName: 'user-profile',
              items: [
                { id: 'sign-out', text: t('signOut') },
                ...(person ? [{ id: 'sign-out-everywhere', text: t('signOutEverywhere') }] : []),
              ],
              onItemClick: (event) => void signOut(event.detail.id === 'sign-out-everywhere'),
            },
          ]}
        />
      </div>
      <AppLayout
        headerSelector="#top-navigation"
        navigation={<SideNavigation activeHref={page?.path ?? path} items={navigationItems} onFollow={follow} />}
        notifications={<Notifications />}
        content={content}
        toolsHide
        ariaLabels={{ navigation: t('navigation'), notifications: t('notifications') }}
      />
    </>
  );
}

function NotFound({ path }: { path: string }) {
  const t = useMessages(shellMessages);
  const follow = useFollow();
  return (
    <Box padding="l">
      <Alert type="info" header={t('notFoundTitle')} action={<Button href="/" onFollow={follow}>{t('goHome')}</Button>}>
        {t('notFoundText', { path })}
      </Alert>
    </Box>
  );
}

function NotAllowed({ tenant }: { tenant: string }) {
  const t = useMessages(shellMessages);
  return (
    <Box padding="l">
      <Alert type="warning" header={t('notAllowedTitle')}>
        {t('notAllowedText', { tenant })}
      </Alert>
    </Box>
  );
}

/** A page that throws while rendering says so in words; the rest of the console keeps working. */
class PageErrorBoundary extends Component<{ title: string; children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('A console page failed', error, info.componentStack);
  }
  override render() {
    if (this.state.error) {
      return (
        <Alert type="error" header={this.props.title}>
          {this.state.error.message}
        </Alert>
      );
    }
    return this.props.children;
  }
}
