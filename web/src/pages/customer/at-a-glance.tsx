import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { useFollow, useRouter } from '../../app/router';
import { ProblemAlert } from '../../components/problem';
import { useFormat, useMessages } from '../../i18n/locale';
import { contactVocabulary } from '../contact-log/vocabulary';
import { customerMessages } from './messages';
import { customerName } from './names';
import { OpenCaseModal } from './open-case';

type Overview = Schemas['CustomerOverview'];

/** The customer at a glance: everything the desk shows of a customer, from one API read. */
export function CustomerAtAGlance({ customerId }: { customerId: string }) {
  const t = useMessages(customerMessages);
  const api = useApi();
  const { navigate, query } = useRouter();
  // From a screen pop: the contact to wrap up.
  const contactId = query.get('contactId');
  const overview = useQuery({
    queryKey: ['customer-overview', customerId],
    queryFn: () => answer(api.GET('/v1/customers/{customerId}/overview', { params: { path: { customerId } } })),
  });
  const [openingCase, setOpeningCase] = useState(false);
  if (overview.isPending) return <Spinner size="large" />;
  if (overview.error) return <ProblemAlert error={overview.error} />;
  const data = overview.data;
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description={data.customer.phone ?? data.customer.email}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button onClick={() => navigate('/desk/customers')}>{t('search')}</Button>
            <Button onClick={() => setOpeningCase(true)}>{t('openCase.button')}</Button>
            <Button variant="primary" onClick={() => navigate(`/desk/contacts/new?customerId=${encodeURIComponent(customerId)}${contactId ? `&contactId=${encodeURIComponent(contactId)}` : ''}`)}>
              {t('logContact')}
            </Button>
          </SpaceBetween>
        }
      >
        {customerName(data.customer) ?? t('unnamed')}
      </Header>
      {openingCase && <OpenCaseModal customerId={customerId} contactId={contactId ?? undefined} onClose={() => setOpeningCase(false)} />}
      <NextStep overview={data} />
      <ColumnLayout columns={2}>
        <Profile customer={data.customer} />
        <Value customer={data.customer} />
      </ColumnLayout>
      <OpenCases cases={data.openCases} />
      <RecentContacts contacts={data.recentContacts} />
      <ColumnLayout columns={2}>
        <LatestSurvey survey={data.latestSurvey} />
        <Referrals referrals={[...data.referrals.open, ...data.referrals.converted]} />
      </ColumnLayout>
    </SpaceBetween>
  );
}

function NextStep({ overview }: { overview: Overview }) {
  const t = useMessages(customerMessages);
  const follow = useFollow();
  const step = overview.suggestedNextStep;
  const urgent = step.action === 'recover_first' || step.action === 'resolve_breached_case' || step.action === 'repair_experience';
  return (
    <Alert type={urgent ? 'warning' : 'info'} header={t('nextStep')}>
      <SpaceBetween size="xs">
        <span>{t(`step.${step.action}`)}</span>
        {step.caseId && (
          <Link href={`/desk/cases/${step.caseId}`} onFollow={follow}>
            {t('openCase')}
          </Link>
        )}
      </SpaceBetween>
    </Alert>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Box variant="awsui-key-label">{label}</Box>
      <div>{children}</div>
    </div>
  );
}

function Profile({ customer }: { customer: Overview['customer'] }) {
  const t = useMessages(customerMessages);
  const consentType = { granted: 'success', denied: 'stopped', unknown: 'pending' } as const;
  return (
    <Container header={<Header variant="h2">{t('profile')}</Header>}>
      <ColumnLayout columns={2} variant="text-grid">
        <Field label={t('phone')}>{customer.phone ?? '—'}</Field>
        <Field label={t('email')}>{customer.email ?? '—'}</Field>
        <Field label={t('language')}>{customer.language ?? '—'}</Field>
        <Field label={t('externalId')}>{customer.externalId ?? '—'}</Field>
        <Field label={t('tags')}>{customer.tags.length > 0 ? customer.tags.join(', ') : '—'}</Field>
        {(['sms', 'email', 'marketing'] as const).map((channel) => (
          <Field key={channel} label={t(`consent.${channel}`)}>
            <StatusIndicator type={consentType[customer.consent[channel].status]}>{t(`consentStatus.${customer.consent[channel].status}`)}</StatusIndicator>
          </Field>
        ))}
      </ColumnLayout>
    </Container>
  );
}

function Value({ customer }: { customer: Overview['customer'] }) {
  const t = useMessages(customerMessages);
  const format = useFormat();
  const me = useMe();
  const value = customer.value;
  const money = (amount: number) => (value ? format.number(amount, { style: 'currency', currency: value.currency, maximumFractionDigits: 0 }) : '');
  return (
    <Container header={<Header variant="h2">{t('value')}</Header>}>
      {!value ? (
        <Box color="text-body-secondary">{t('noValue')}</Box>
      ) : (
        <ColumnLayout columns={2} variant="text-grid">
          <Field label={t('segment')}>{value.segment ? t(`segment.${value.segment}`) : '—'}</Field>
          <Field label={t('tier')}>{value.tier ? t(`tier.${value.tier}`) : '—'}</Field>
          <Field label={t('lifetimeValue')}>{value.lifetimeValue !== undefined ? money(value.lifetimeValue) : '—'}</Field>
          <Field label={t('purchases')}>{format.number(value.purchaseCount)}</Field>
          <Field label={t('lastPurchase')}>{value.lastPurchaseAt ? format.date(value.lastPurchaseAt, me.data?.tenant.timezone) : '—'}</Field>
        </ColumnLayout>
      )}
    </Container>
  );
}

function OpenCases({ cases }: { cases: Overview['openCases'] }) {
  const t = useMessages(customerMessages);
  const format = useFormat();
  const follow = useFollow();
  const timeZone = useMe().data?.tenant.timezone;
  const deadline = (state: Overview['openCases'][number]['sla']['resolution']) => {
    if (state.metAt) return <StatusIndicator type="success">{`${t('met')} ${format.dateTime(state.metAt, timeZone)}`}</StatusIndicator>;
    if (state.breachedAt) return <StatusIndicator type="error">{`${t('breached')} ${format.dateTime(state.dueAt, timeZone)}`}</StatusIndicator>;
    return format.dateTime(state.dueAt, timeZone);
  };
  return (
    <Table
      header={<Header variant="h2" counter={`(${cases.length})`}>{t('openCases')}</Header>}
      items={cases}
      trackBy="caseId"
      empty={<Box color="inherit">{t('noOpenCases')}</Box>}
      columnDefinitions={[
        {
          id: 'case',
          header: t('category'),
          isRowHeader: true,
          cell: (c) => (
            <Link href={`/desk/cases/${c.caseId}`} onFollow={follow}>
              {c.category}
            </Link>
          ),
        },
        { id: 'type', header: t('caseType'), cell: (c) => c.type },
        { id: 'severity', header: t('severity'), cell: (c) => c.severity },
        { id: 'status', header: t('status'), cell: (c) => c.status },
        { id: 'firstResponse', header: t('firstResponseDue'), cell: (c) => deadline(c.sla.firstResponse) },
        { id: 'resolution', header: t('resolutionDue'), cell: (c) => deadline(c.sla.resolution) },
      ]}
    />
  );
}

function RecentContacts({ contacts }: { contacts: Overview['recentContacts'] }) {
  const t = useMessages(customerMessages);
  const v = useMessages(contactVocabulary);
  const format = useFormat();
  const timeZone = useMe().data?.tenant.timezone;
  return (
    <Table
      header={<Header variant="h2" counter={`(${contacts.length})`}>{t('recentContacts')}</Header>}
      items={contacts}
      trackBy="contactId"
      empty={<Box color="inherit">{t('noContacts')}</Box>}
      columnDefinitions={[
        { id: 'startedAt', header: t('startedAt'), isRowHeader: true, cell: (c) => format.dateTime(c.startedAt, timeZone) },
        { id: 'channel', header: t('channel'), cell: (c) => `${v(`channel.${c.channel}`)} · ${v(`direction.${c.direction}`)}` },
        { id: 'queue', header: t('queue'), cell: (c) => c.queue ?? '—' },
        { id: 'reason', header: t('reason'), cell: (c) => c.reasonCode ?? '—' },
        { id: 'outcome', header: t('outcome'), cell: (c) => (c.outcome ? v(`outcome.${c.outcome}`) : t('open')) },
      ]}
    />
  );
}

function LatestSurvey({ survey }: { survey: Overview['latestSurvey'] }) {
  const t = useMessages(customerMessages);
  const format = useFormat();
  const timeZone = useMe().data?.tenant.timezone;
  const score = (value: number | null | undefined) => (typeof value === 'number' ? format.number(value) : '—');
  return (
    <Container header={<Header variant="h2">{t('latestSurvey')}</Header>}>
      {!survey ? (
        <Box color="text-body-secondary">{t('noSurvey')}</Box>
      ) : (
        <SpaceBetween size="s">
          <ColumnLayout columns={4} variant="text-grid">
            <Field label={t('completedAt')}>{format.dateTime(survey.completedAt, timeZone)}</Field>
            <Field label={t('csat')}>{score(survey.scores.csat)}</Field>
            <Field label={t('nps')}>{score(survey.scores.nps)}</Field>
            <Field label={t('ces')}>{score(survey.scores.ces)}</Field>
          </ColumnLayout>
          <Field label={t('words')}>
            {survey.words && survey.words.length > 0 ? survey.words.map((words) => <Box key={words} variant="p">「{words}」</Box>) : t('noWords')}
          </Field>
        </SpaceBetween>
      )}
    </Container>
  );
}

function Referrals({ referrals }: { referrals: Overview['referrals']['open'] }) {
  const t = useMessages(customerMessages);
  const format = useFormat();
  const timeZone = useMe().data?.tenant.timezone;
  return (
    <Table
      header={<Header variant="h2" counter={`(${referrals.length})`}>{t('referrals')}</Header>}
      items={referrals}
      trackBy="referralId"
      empty={<Box color="inherit">{t('noReferrals')}</Box>}
      columnDefinitions={[
        { id: 'product', header: t('product'), isRowHeader: true, cell: (r) => r.product },
        { id: 'status', header: t('referralStatus'), cell: (r) => t(`referral.${r.status}`) },
        { id: 'madeAt', header: t('madeAt'), cell: (r) => (r.madeAt ? format.date(r.madeAt, timeZone) : '—') },
      ]}
    />
  );
}
