import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { reaches } from '../../app/scopes';
import { CursorPagination, useCursorPages } from '../../components/cursor-pages';
import { ProblemAlert } from '../../components/problem';
import { useFormat, useMessages } from '../../i18n/locale';
import { customerValueMessages } from './messages';

type Summary = Schemas['SegmentsSummary'];
type Segment = Summary['segments'][number]['segment'];
type Customer = Schemas['Customer'];
const tiers = ['high', 'mid', 'low'] as const;
const quadrants = ['true_friends', 'butterflies', 'barnacles', 'strangers'] as const;
type Tier = (typeof tiers)[number];
type Quadrant = (typeof quadrants)[number];
/** The group whose customers the page lists: a segment, a tier or a quadrant. */
type Listed = { segment: Segment } | { tier: Tier } | { quadrant: Quadrant };

export default function CustomerValuePage() {
  const t = useMessages(customerValueMessages);
  const api = useApi();
  const me = useMe();
  const isAdmin = reaches(me.data?.scopes ?? [], 'admin');
  const [refreshRunAt, setRefreshRunAt] = useState<string>();
  const summary = useQuery({
    queryKey: ['segments-summary'],
    queryFn: () => answer(api.GET('/v1/analytics/segments')),
    // While a refresh runs, ask every 2 seconds until the summary is the run's.
    refetchInterval: (query) => {
      const computedAt = query.state.data?.computedAt;
      return refreshRunAt && (!computedAt || computedAt < refreshRunAt) ? 2_000 : false;
    },
  });
  const [listed, setListed] = useState<Listed>();
  const computed = summary.data?.computedAt ?? null;
  const refreshing = refreshRunAt !== undefined && (!computed || computed < refreshRunAt);

  return (
    <ContentLayout
      header={
        <Header variant="h1" description={t('description')} actions={isAdmin ? <RefreshButton refreshing={refreshing} onAccepted={setRefreshRunAt} /> : undefined}>
          {t('title')}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {isAdmin && <RefreshProgress runAt={refreshRunAt} computedAt={computed} />}
        {summary.error ? <ProblemAlert error={summary.error} /> : null}
        {summary.isPending ? <Spinner size="large" /> : null}
        {summary.data && !summary.data.computedAt ? (
          <Alert type="info" header={t('neverComputed')}>
            {t('neverComputedText')}
          </Alert>
        ) : null}
        {summary.data?.computedAt ? (
          <>
            <RunFacts summary={summary.data} />
            <ColumnLayout columns={2}>
              <Tiers summary={summary.data} onShow={(tier) => setListed({ tier })} />
              <Quadrants summary={summary.data} onShow={(quadrant) => setListed({ quadrant })} />
            </ColumnLayout>
            <Segments summary={summary.data} selected={listed && 'segment' in listed ? listed.segment : undefined} onSelect={(segment) => setListed({ segment })} />
            {listed ? <ListedCustomers listed={listed} currency={summary.data.currency} computedAt={summary.data.computedAt} /> : null}
          </>
        ) : null}
      </SpaceBetween>
    </ContentLayout>
  );
}

function RefreshButton({ refreshing, onAccepted }: { refreshing: boolean; onAccepted: (runAt: string) => void }) {
  const t = useMessages(customerValueMessages);
  const api = useApi();
  const refresh = useMutation({
    mutationFn: () => answer(api.POST('/v1/analytics/segments/refresh', { headers: { 'Idempotency-Key': crypto.randomUUID() } })),
    onSuccess: (accepted) => onAccepted(accepted.runAt),
  });
  return (
    <SpaceBetween size="xs" alignItems="end">
      <Button iconName="refresh" loading={refresh.isPending || refreshing} onClick={() => refresh.mutate()}>
        {t('refresh')}
      </Button>
      {refresh.error ? <ProblemAlert error={refresh.error} /> : null}
    </SpaceBetween>
  );
}

function RefreshProgress({ runAt, computedAt }: { runAt?: string; computedAt: string | null }) {
  const t = useMessages(customerValueMessages);
  const format = useFormat();
  const timeZone = useMe().data?.tenant.timezone;
  const queryClient = useQueryClient();
  const done = runAt !== undefined && computedAt !== null && computedAt >= runAt;
  useEffect(() => {
    // The lists of a segment, tier or quadrant are as of the run: read them again.
    if (done) void queryClient.invalidateQueries({ queryKey: ['value-customers'] });
  }, [done, queryClient]);
  if (!runAt) return <Box variant="small">{t('refreshHint')}</Box>;
  return (
    <div role="status">
      {done ? (
        <StatusIndicator type="success">{t('refreshed', { time: format.dateTime(computedAt!, timeZone) })}</StatusIndicator>
      ) : (
        <StatusIndicator type="in-progress">{t('refreshing', { time: format.dateTime(runAt, timeZone) })}</StatusIndicator>
      )}
    </div>
  );
}

function RunFacts({ summary }: { summary: Summary }) {
  const t = useMessages(customerValueMessages);
  const format = useFormat();
  const timeZone = useMe().data?.tenant.timezone;
  const retention = summary.retention;
  return (
    <Container>
      <KeyValuePairs
        columns={4}
        items={[
          { label: t('asOf'), value: format.dateTime(summary.computedAt!, timeZone) },
          { label: t('customersScored'), value: <span data-figure="customersScored">{format.number(summary.customersScored)}</span> },
          {
            label: t('retention'),
            value: retention ? (
              <SpaceBetween size="xxxs">
                <span>{format.percent(retention.rate)}</span>
                <Box variant="small">
                  {retention.source === 'observed'
                    ? t('retention.observed', { retained: format.number(retention.retainedCustomers), base: format.number(retention.previousYearCustomers) })
                    : t('retention.settings')}
                </Box>
              </SpaceBetween>
            ) : (
              t('none')
            ),
          },
          { label: t('discountRate'), value: format.percent(summary.annualDiscountRate) },
        ]}
      />
    </Container>
  );
}

function useMoney(currency: string) {
  const format = useFormat();
  return (amount: number) => format.number(amount, { style: 'currency', currency, minimumFractionDigits: 0 });
}

function Segments({ summary, selected, onSelect }: { summary: Summary; selected?: Segment; onSelect: (segment: Segment) => void }) {
  const t = useMessages(customerValueMessages);
  const format = useFormat();
  const money = useMoney(summary.currency);
  return (
    <Table
      header={
        <Header variant="h2" description={t('segmentsDescription')}>
          {t('segments')}
        </Header>
      }
      ariaLabels={{
        tableLabel: t('segments'),
        selectionGroupLabel: t('segments'),
        itemSelectionLabel: (_, item) => t('showCustomers', { segment: t(`segment.${item.segment}`) }),
      }}
      selectionType="single"
      selectedItems={summary.segments.filter((entry) => entry.segment === selected)}
      onSelectionChange={(event) => {
        const chosen = event.detail.selectedItems[0];
        if (chosen) onSelect(chosen.segment);
      }}
      items={summary.segments}
      trackBy="segment"
      wrapLines
      columnDefinitions={[
        { id: 'segment', header: t('colSegment'), isRowHeader: true, cell: (entry) => <b>{t(`segment.${entry.segment}`)}</b>, width: 170 },
        { id: 'meaning', header: t('colMeaning'), cell: (entry) => t(`meaning.${entry.segment}`) },
        { id: 'action', header: t('colAction'), cell: (entry) => t(`action.${entry.segment}`) },
        { id: 'customers', header: t('colCustomers'), cell: (entry) => format.number(entry.customers), width: 110 },
        { id: 'monetary', header: t('colMonetary'), cell: (entry) => money(entry.monetaryTotal), width: 130 },
        { id: 'margin', header: t('colMargin'), cell: (entry) => money(entry.marginTotal), width: 120 },
        { id: 'ltv', header: t('colLifetimeValue'), cell: (entry) => money(entry.lifetimeValue), width: 140 },
      ]}
    />
  );
}

function Tiers({ summary, onShow }: { summary: Summary; onShow: (tier: Tier) => void }) {
  const t = useMessages(customerValueMessages);
  const format = useFormat();
  return (
    <Container header={<Header variant="h2" description={t('tiersDescription')}>{t('tiers')}</Header>}>
      <ColumnLayout columns={3} variant="text-grid">
        {tiers.map((tier) => (
          <div key={tier}>
            <Box variant="awsui-key-label">{t(`tier.${tier}`)}</Box>
            <Box variant="awsui-value-large" data-figure={`tier-${tier}`}>
              {format.number(summary.tiers[tier] ?? 0)}
            </Box>
            <Box variant="small" display="block">
              {t(`tierMeaning.${tier}`)}
            </Box>
            <ShowCustomersButton label={t(`tier.${tier}`)} onClick={() => onShow(tier)} />
          </div>
        ))}
      </ColumnLayout>
    </Container>
  );
}

function Quadrants({ summary, onShow }: { summary: Summary; onShow: (quadrant: Quadrant) => void }) {
  const t = useMessages(customerValueMessages);
  const format = useFormat();
  const money = useMoney(summary.currency);
  const cutoff = summary.quadrantCutoffs ? money(summary.quadrantCutoffs.marginTotal) : t('none');
  return (
    <Container header={<Header variant="h2" description={t('quadrantsDescription', { margin: cutoff })}>{t('quadrants')}</Header>}>
      <ColumnLayout columns={2} variant="text-grid">
        {quadrants.map((quadrant) => (
          <div key={quadrant}>
            <Box variant="awsui-key-label">{t(`quadrant.${quadrant}`)}</Box>
            <Box variant="awsui-value-large" data-figure={`quadrant-${quadrant}`}>
              {format.number(summary.quadrants[quadrant] ?? 0)}
            </Box>
            <Box variant="small" display="block">
              {t(`quadrantMeaning.${quadrant}`)}
            </Box>
            <ShowCustomersButton label={t(`quadrant.${quadrant}`)} onClick={() => onShow(quadrant)} />
          </div>
        ))}
      </ColumnLayout>
    </Container>
  );
}

function ShowCustomersButton({ label, onClick }: { label: string; onClick: () => void }) {
  const t = useMessages(customerValueMessages);
  return (
    <Button variant="inline-link" onClick={onClick}>
      {t('showCustomers', { segment: label })}
    </Button>
  );
}

function ListedCustomers({ listed, currency, computedAt }: { listed: Listed; currency: string; computedAt: string }) {
  const t = useMessages(customerValueMessages);
  const format = useFormat();
  const api = useApi();
  const money = useMoney(currency);
  const timeZone = useMe().data?.tenant.timezone;
  const pages = useCursorPages(['value-customers', listed, computedAt], (cursor) =>
    answer(api.GET('/v1/customers', { params: { query: { ...listed, limit: 25, ...(cursor && { cursor }) } } })),
  );
  const group =
    'segment' in listed ? t(`segment.${listed.segment}`) : 'tier' in listed ? t(`tier.${listed.tier}`) : t(`quadrant.${listed.quadrant}`);
  const name = (c: Customer) => c.displayName ?? ([c.givenName, c.familyName].filter(Boolean).join(' ') || c.customerId);
  return (
    <Table
      header={
        <Header variant="h2" description={t('customersInDescription')}>
          {t('customersIn', { segment: group })}
        </Header>
      }
      ariaLabels={{ tableLabel: t('customersIn', { segment: group }) }}
      items={pages.items}
      trackBy="customerId"
      // Not the rows of the group shown before while this one's first page loads.
      loading={pages.loading}
      loadingText={t('loading')}
      pagination={<CursorPagination pages={pages} labels={{ next: t('paginationNext'), previous: t('paginationPrevious'), page: (page) => t('paginationPage', { page }) }} />}
      empty={
        pages.page.error ? (
          <ProblemAlert error={pages.page.error} />
        ) : (
          <Box textAlign="center" color="inherit">
            <b>{t('customersEmpty')}</b>
            <Box variant="p" color="inherit">
              {t('customersEmptyHint')}
            </Box>
          </Box>
        )
      }
      columnDefinitions={[
        { id: 'name', header: t('colName'), isRowHeader: true, cell: name },
        { id: 'tier', header: t('colTier'), cell: (c) => (c.value?.tier ? t(`tier.${c.value.tier}`) : t('none')) },
        { id: 'quadrant', header: t('colQuadrant'), cell: (c) => (c.value?.quadrant ? t(`quadrant.${c.value.quadrant}`) : t('none')) },
        { id: 'purchases', header: t('colPurchases'), cell: (c) => format.number(c.value?.purchaseCount ?? 0) },
        { id: 'monetary', header: t('colMonetary'), cell: (c) => money(c.value?.monetaryTotal ?? 0) },
        { id: 'last', header: t('colLastPurchase'), cell: (c) => (c.value?.lastPurchaseAt ? format.date(c.value.lastPurchaseAt, timeZone) : t('none')) },
        { id: 'ltv', header: t('colLifetimeValue'), cell: (c) => (c.value?.lifetimeValue === undefined ? t('none') : money(c.value.lifetimeValue)) },
      ]}
    />
  );
}
