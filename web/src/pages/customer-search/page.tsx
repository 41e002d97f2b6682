import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { useFollow, useRouter } from '../../app/router';
import { ProblemAlert } from '../../components/problem';
import { ContactControlPanelToggle } from '../../connect/contact-control-panel';
import { useMessages } from '../../i18n/locale';
import { CustomerAtAGlance } from '../customer/at-a-glance';
import { CreateCustomerForm } from '../customer/create-customer';
import { customerName } from '../customer/names';
import { customerSearchMessages } from './messages';

type Result = Schemas['CustomerSearchResult'];

/** `/desk/customers` (the search) and `/desk/customers/{customerId}` (the customer at a glance). */
export default function CustomerSearchPage() {
  const { path } = useRouter();
  const customerId = /^\/desk\/customers\/([^/]+)$/.exec(path)?.[1];
  return customerId ? (
    <SpaceBetween size="s">
      <ContactControlPanelToggle />
      <CustomerAtAGlance customerId={decodeURIComponent(customerId)} />
    </SpaceBetween>
  ) : (
    <CustomerSearch />
  );
}

const typingPauseMs = 250;

function CustomerSearch() {
  const t = useMessages(customerSearchMessages);
  const api = useApi();
  const follow = useFollow();
  const { navigate, query } = useRouter();
  const [text, setText] = useState(query.get('q') ?? '');
  const [settled, setSettled] = useState(text.trim());
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text.trim()), typingPauseMs);
    return () => clearTimeout(timer);
  }, [text]);
  useEffect(() => {
    // The search stays in the address, so Back returns to the same results.
    navigate(settled ? `/desk/customers?q=${encodeURIComponent(settled)}` : '/desk/customers', { replace: true });
  }, [settled, navigate]);

  const found = useQuery({
    queryKey: ['customer-search', settled],
    enabled: settled.length > 0,
    placeholderData: keepPreviousData,
    queryFn: () => answer(api.GET('/v1/customers/search', { params: { query: { q: settled, limit: 10 } } })),
  });
  const items = settled ? (found.data?.items ?? []) : [];
  const open = (result: Result) => navigate(`/desk/customers/${result.customer.customerId}`);

  return (
    <SpaceBetween size="l">
      <Header variant="h1" description={t('description')} actions={<Button onClick={() => setCreating(true)}>{t('create')}</Button>}>
        {t('title')}
      </Header>
      <ContactControlPanelToggle />
      <Container>
        <FormField label={t('searchLabel')} stretch>
          <Input
            type="search"
            value={text}
            autoFocus
            placeholder={t('placeholder')}
            ariaLabel={t('searchLabel')}
            onChange={(event) => setText(event.detail.value)}
            onKeyDown={(event) => {
              if (event.detail.key === 'Enter' && items[0]) open(items[0]);
            }}
          />
        </FormField>
      </Container>
      {creating && <CreateCustomerForm initial={initialFromText(settled)} onCancel={() => setCreating(false)} />}
      {found.error ? <ProblemAlert error={found.error} /> : null}
      <Table
        items={items}
        loading={settled.length > 0 && found.isPending}
        loadingText={t('searching')}
        trackBy={(result) => result.customer.customerId}
        header={<Header variant="h2" counter={settled ? `(${items.length}${found.data?.more ? '+' : ''})` : undefined}>{t('results')}</Header>}
        footer={found.data?.more ? <Box color="text-body-secondary">{t('more')}</Box> : undefined}
        empty={
          <Box textAlign="center" color="inherit">
            <b>{settled ? t('emptyTitle') : t('startTitle')}</b>
            <Box variant="p" color="inherit">{settled ? t('emptyText') : t('startText')}</Box>
          </Box>
        }
        columnDefinitions={[
          {
            id: 'name',
            header: t('name'),
            isRowHeader: true,
            cell: (result) => (
              <Link href={`/desk/customers/${result.customer.customerId}`} onFollow={follow}>
                {customerName(result.customer) ?? t('unnamed')}
              </Link>
            ),
          },
          { id: 'phone', header: t('phone'), cell: (result) => result.customer.phone ?? '—' },
          { id: 'email', header: t('email'), cell: (result) => result.customer.email ?? '—' },
          { id: 'externalId', header: t('externalId'), cell: (result) => result.customer.externalId ?? '—' },
          { id: 'matchedOn', header: t('matchedOn'), cell: (result) => result.matchedOn.map((field) => t(`match.${field}`)).join(', ') },
        ]}
      />
    </SpaceBetween>
  );
}

/** What the search text already says about a new customer: a number, an address, or a name. */
function initialFromText(text: string): { phone?: string; email?: string; displayName?: string } {
  if (!text) return {};
  if (text.includes('@')) return { email: text };
  if (/^\+?[\d\s().\-/]+$/.test(text)) return { phone: text };
  return { displayName: text };
}
