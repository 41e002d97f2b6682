import Alert from '@cloudscape-design/components/alert';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context';
import { answer } from '../../api/client';
import { useFollow } from '../../app/router';
import { type ConnectedContact, callerNumber, popPath } from '../../connect/screen-pop';
import { ProblemAlert } from '../../components/problem';
import { useMessages } from '../../i18n/locale';
import { CustomerAtAGlance } from '../customer/at-a-glance';
import { CreateCustomerForm } from '../customer/create-customer';
import { customerMessages } from '../customer/messages';
import { workspaceAppMessages } from './messages';

type Connection = { state: 'outside' } | { state: 'connecting' } | { state: 'ready' } | { state: 'no-answer' } | { state: 'failed'; reason: string };

/** How long the agent workspace has to answer the app before the page says it did not. */
const workspaceAnswerMs = 15_000;

/**
 * `/desk/workspace-app`: the desk inside Amazon Connect's agent workspace (a third-party
 * application; the one console page Connect may frame). Each call connected to the agent opens
 * its caller here, the customer at a glance or a form to create one; outside the workspace the
 * page says where it belongs.
 */
export default function WorkspaceAppPage() {
  const t = useMessages(workspaceAppMessages);
  const follow = useFollow();
  const [connection, setConnection] = useState<Connection>(() => (window.parent === window ? { state: 'outside' } : { state: 'connecting' }));
  const [contact, setContact] = useState<ConnectedContact>();

  useEffect(() => {
    if (window.parent === window) return;
    let answered = false;
    const timer = window.setTimeout(() => !answered && setConnection({ state: 'no-answer' }), workspaceAnswerMs);
    import('../../connect/workspace-app')
      .then(({ startWorkspaceApp }) =>
        startWorkspaceApp({
          onCreated: () => {
            answered = true;
            setConnection({ state: 'ready' });
          },
          onContact: setContact,
          onError: (reason) => setConnection({ state: 'failed', reason }),
        }),
      )
      .catch((error: unknown) => setConnection({ state: 'failed', reason: error instanceof Error ? error.message : String(error) }));
    return () => window.clearTimeout(timer);
  }, []);

  return (
    <SpaceBetween size="l">
      <Header variant="h1" description={t('description')}>
        {t('title')}
      </Header>
      {connection.state === 'outside' && (
        <Alert type="info" header={t('outsideTitle')}>
          <SpaceBetween size="s">
            <span>{t('outsideText')}</span>
            <Link href="/desk" onFollow={follow}>
              {t('outsideLink')}
            </Link>
          </SpaceBetween>
        </Alert>
      )}
      {connection.state === 'connecting' && <StatusIndicator type="loading">{t('connecting')}</StatusIndicator>}
      {connection.state === 'no-answer' && <Alert type="warning">{t('noAnswer')}</Alert>}
      {connection.state === 'failed' && <Alert type="error">{t('failed', { reason: connection.reason })}</Alert>}
      {connection.state === 'ready' && !contact && <StatusIndicator type="pending">{t('waiting')}</StatusIndicator>}
      {contact && <WorkspacePop key={contact.contactId} contact={contact} />}
    </SpaceBetween>
  );
}

/** The pop for the connected contact, in place: the page stays the one Connect may frame. */
function WorkspacePop({ contact }: { contact: ConnectedContact }) {
  const t = useMessages(workspaceAppMessages);
  const path = popPath(contact);
  const phone = path ? callerNumber(contact.customerAddress) : undefined;
  if (!phone) return <Alert type="info">{t('noNumber', { channel: contact.channel })}</Alert>;
  return <CallerByPhone phone={phone} />;
}

function CallerByPhone({ phone }: { phone: string }) {
  const t = useMessages(workspaceAppMessages);
  const customerWords = useMessages(customerMessages);
  const api = useApi();
  const found = useQuery({
    queryKey: ['customer-by-phone', phone],
    queryFn: () => answer(api.GET('/v1/customers', { params: { query: { phone, limit: 1 } } })),
  });
  if (found.isPending) return <StatusIndicator type="loading">{customerWords('popLooking')}</StatusIndicator>;
  if (found.error) return <ProblemAlert error={found.error} />;
  const customerId = found.data.items[0]?.customerId;
  return (
    <SpaceBetween size="m">
      <Header variant="h2">{t('caller', { phone })}</Header>
      {customerId ? (
        <CustomerAtAGlance customerId={customerId} />
      ) : (
        <SpaceBetween size="l">
          <Alert type="info">{customerWords('popUnknown', { phone })}</Alert>
          <CreateCustomerForm initial={{ phone }} />
        </SpaceBetween>
      )}
    </SpaceBetween>
  );
}
