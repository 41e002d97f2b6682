import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { useMessages } from '../../i18n/locale';
import { type Dimension, useFigures } from './figures';
import { dashboardMessages } from './messages';

type Group = NonNullable<Schemas['AnalyticsSummary']['groups']>[number];

/** The period's figures for each queue, agent, channel or reason, busiest first. */
export function GroupsTable({ dimension, groups, loading }: { dimension: Dimension; groups: readonly Group[]; loading: boolean }) {
  const t = useMessages(dashboardMessages);
  const figures = useFigures();
  const [filter, setFilter] = useState('');
  const dimensionName = t(`by.${dimension}`);
  const shown = [...groups]
    .filter((group) => group.value.toLowerCase().includes(filter.trim().toLowerCase()))
    .sort((a, b) => b.metrics.contacts.offered - a.metrics.contacts.offered || a.value.localeCompare(b.value));
  return (
    <Table
      variant="container"
      loading={loading}
      loadingText={t('updating')}
      header={
        <Header variant="h2" counter={`(${groups.length})`} description={t('groupsDescription', { dimension: dimensionName })}>
          {t('groupsTitle', { dimension: dimensionName })}
        </Header>
      }
      filter={
        <TextFilter
          filteringText={filter}
          filteringPlaceholder={t('groupsFilter', { dimension: dimensionName })}
          filteringAriaLabel={t('groupsFilter', { dimension: dimensionName })}
          onChange={(event) => setFilter(event.detail.filteringText)}
        />
      }
      items={shown}
      trackBy="value"
      empty={<Box color="text-body-secondary">{filter ? t('noMatch', { dimension: dimensionName }) : t('groupsEmpty', { dimension: dimensionName })}</Box>}
      columnDefinitions={[
        { id: 'value', header: dimensionName, cell: (group) => group.value, isRowHeader: true },
        { id: 'offered', header: t('offered'), cell: (group) => figures.count(group.metrics.contacts.offered) },
        { id: 'handled', header: t('handled'), cell: (group) => figures.count(group.metrics.contacts.handled) },
        { id: 'abandoned', header: t('abandoned'), cell: (group) => figures.count(group.metrics.contacts.abandoned) },
        { id: 'serviceLevel', header: t('serviceLevel'), cell: (group) => figures.percent(group.metrics.contacts.serviceLevel.percent) },
        { id: 'asa', header: t('asa'), cell: (group) => figures.duration(group.metrics.contacts.averageSpeedOfAnswerSeconds) },
        { id: 'aht', header: t('aht'), cell: (group) => figures.duration(group.metrics.contacts.averageHandleTimeSeconds) },
        { id: 'fcr', header: t('fcr'), cell: (group) => figures.percent(group.metrics.contacts.firstContactResolutionRate) },
        { id: 'csat', header: t('csat'), cell: (group) => figures.percent(group.metrics.surveys?.csat) },
      ]}
    />
  );
}
