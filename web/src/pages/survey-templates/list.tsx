import Badge from '@cloudscape-design/components/badge';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { answer } from '../../api/client';
import { useFollow } from '../../app/router';
import { reaches } from '../../app/scopes';
import { ProblemAlert } from '../../components/problem';
import { useFormat, useMessages } from '../../i18n/locale';
import type { Template } from './draft';
import { templateMessages } from './messages';
import { templatesKey, useSurveySettings } from './queries';

type Filter = 'active' | 'archived' | 'all';

/** `/survey-templates`: the tenant's templates at their current versions. */
export function TemplateList() {
  const t = useMessages(templateMessages);
  const format = useFormat();
  const api = useApi();
  const me = useMe();
  const follow = useFollow();
  const settings = useSurveySettings();
  const [filter, setFilter] = useState<Filter>('active');
  const canChange = reaches(me.data?.scopes ?? [], 'admin');
  const timezone = me.data?.tenant.timezone;

  const pages = useInfiniteQuery({
    queryKey: [...templatesKey, 'list', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      answer(
        api.GET('/v1/survey-templates', {
          params: { query: { limit: 100, ...(filter !== 'all' && { status: filter }), ...(pageParam && { cursor: pageParam }) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const firstSms = (template: Template, language: 'en' | 'zh-TW') => template.sms.messages.find((message) => message.message === 'first' && message.language === language);

  return (
    <SpaceBetween size="m">
      {pages.error ? <ProblemAlert error={pages.error} /> : null}
      <Table
        ariaLabels={{ tableLabel: t('tableLabel') }}
        header={
          <Header
            variant="h1"
            description={t('description')}
            counter={pages.data ? `(${format.number(items.length)}${pages.hasNextPage ? '+' : ''})` : undefined}
            actions={
              <SpaceBetween size="xs" direction="horizontal" alignItems="center">
                <SegmentedControl
                  label={t('filterLabel')}
                  selectedId={filter}
                  options={[
                    { id: 'active', text: t('filterActive') },
                    { id: 'archived', text: t('filterArchived') },
                    { id: 'all', text: t('filterAll') },
                  ]}
                  onChange={(event) => setFilter(event.detail.selectedId as Filter)}
                />
                {canChange ? (
                  <Button variant="primary" href="/survey-templates/new" onFollow={follow}>
                    {t('create')}
                  </Button>
                ) : null}
              </SpaceBetween>
            }
          >
            {t('title')}
          </Header>
        }
        loading={pages.isPending}
        loadingText={t('loadingTemplates')}
        items={items}
        trackBy="templateId"
        variant="full-page"
        empty={
          <Box textAlign="center" color="inherit">
            <SpaceBetween size="xs">
              <Box variant="strong">{t('emptyTitle')}</Box>
              <Box variant="p">{filter === 'archived' ? t('emptyArchived') : t('emptyText')}</Box>
              {canChange && filter !== 'archived' ? (
                <Button href="/survey-templates/new" onFollow={follow}>
                  {t('create')}
                </Button>
              ) : null}
            </SpaceBetween>
          </Box>
        }
        columnDefinitions={[
          {
            id: 'name',
            header: t('columnName'),
            isRowHeader: true,
            cell: (template) => (
              <SpaceBetween size="xxs">
                <Link href={`/survey-templates/${template.templateId}`} onFollow={follow}>
                  {template.name}
                </Link>
                {template.description ? <Box variant="small">{template.description}</Box> : null}
                <SpaceBetween size="xxs" direction="horizontal">
                  {settings.data?.templateInUse === template.templateId ? <Badge color="green">{t('inUse')}</Badge> : null}
                  {template.isDefault ? <Badge>{t('defaultTemplate')}</Badge> : null}
                </SpaceBetween>
              </SpaceBetween>
            ),
          },
          { id: 'questions', header: t('columnQuestions'), cell: (template) => format.number(template.questions.length) },
          { id: 'version', header: t('columnVersion'), cell: (template) => format.number(template.currentVersion) },
          {
            id: 'status',
            header: t('columnStatus'),
            cell: (template) =>
              template.status === 'active' ? <StatusIndicator type="success">{t('statusActive')}</StatusIndicator> : <StatusIndicator type="stopped">{t('statusArchived')}</StatusIndicator>,
          },
          {
            id: 'sms',
            header: t('columnFirstSms'),
            cell: (template) =>
              (['en', 'zh-TW'] as const)
                .map((language) => {
                  const first = firstSms(template, language);
                  return first ? `${first.encoding} ${t('segmentsShort', { segments: format.number(first.segments) })}${first.overLimit ? ' ⚠' : ''}` : '–';
                })
                .join(' / '),
          },
          { id: 'changed', header: t('columnChanged'), cell: (template) => format.dateTime(template.versionCreatedAt, timezone) },
        ]}
        footer={
          pages.hasNextPage ? (
            <Box textAlign="center">
              <Button loading={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
                {t('loadMore')}
              </Button>
            </Box>
          ) : undefined
        }
      />
    </SpaceBetween>
  );
}
