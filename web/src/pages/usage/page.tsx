import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import DatePicker from '@cloudscape-design/components/date-picker';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context';
import { answer } from '../../api/client';
import { ProblemAlert, fieldError } from '../../components/problem';
import { useFormat, useMessages } from '../../i18n/locale';
import { usageMessages } from './messages';

/** A share of a limit in percent for a ProgressBar (0–100); a limit of 0 counts as used up. */
const percentOf = (used: number, limit: number) => (limit > 0 ? Math.min(100, (used / limit) * 100) : used > 0 ? 100 : 0);

export default function UsagePage() {
  const t = useMessages(usageMessages);
  const format = useFormat();
  const api = useApi();
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  // The period asked for; none means the API's default, this UTC month.
  const [period, setPeriod] = useState<{ from?: string; to?: string }>({});

  const usage = useQuery({
    queryKey: ['usage', period.from ?? '', period.to ?? ''],
    queryFn: () => answer(api.GET('/v1/usage', { params: { query: { ...(period.from && { from: period.from }), ...(period.to && { to: period.to }) } } })),
  });
  const report = usage.data;
  const usd = (value: number) => format.number(value, { style: 'currency', currency: 'USD' });
  const count = (value: number) => format.number(value);
  const dateOf = (date: string) => format.date(`${date}T00:00:00Z`, 'UTC');

  return (
    <ContentLayout header={<Header variant="h1" description={t('description')}>{t('title')}</Header>}>
      <SpaceBetween size="l">
        {usage.error && <ProblemAlert error={usage.error} />}
        <Container>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              setPeriod({ ...(fromText && { from: fromText }), ...(toText && { to: toText }) });
            }}
          >
            <SpaceBetween direction="horizontal" size="m" alignItems="end">
              <FormField label={t('from')} constraintText={t('periodHint')} errorText={fieldError(usage.error, 'query.from')}>
                <DatePicker value={fromText || (report?.period.from ?? '')} onChange={(event) => setFromText(event.detail.value)} placeholder={t('datePlaceholder')} openCalendarAriaLabel={() => t('openCalendar')} />
              </FormField>
              <FormField label={t('to')} errorText={fieldError(usage.error, 'query.to')}>
                <DatePicker value={toText || (report?.period.to ?? '')} onChange={(event) => setToText(event.detail.value)} placeholder={t('datePlaceholder')} openCalendarAriaLabel={() => t('openCalendar')} />
              </FormField>
              <Button loading={usage.isFetching}>{t('show')}</Button>
            </SpaceBetween>
          </form>
        </Container>
        {usage.isPending && (
          <div role="status">
            <Spinner size="large" /> {t('loading')}
          </div>
        )}
        {report && (
          <>
            <Container
              header={
                <Header variant="h2" description={t('thisMonthHint')} info={<Box color="text-status-inactive">{t('plan')}: {t(`plan.${report.plan}`)}</Box>}>
                  {t('thisMonth', { month: report.currentMonth.month })}
                </Header>
              }
            >
              <ColumnLayout columns={3} variant="text-grid">
                <ProgressBar
                  label={t('smsToday')}
                  value={percentOf(report.currentMonth.smsSegmentsToday, report.limits.smsSegmentsPerDay)}
                  additionalInfo={t('ofLimit', { used: count(report.currentMonth.smsSegmentsToday), limit: count(report.limits.smsSegmentsPerDay) })}
                />
                <ProgressBar
                  label={t('smsMonth')}
                  value={percentOf(report.currentMonth.smsSegments, report.limits.smsSegmentsPerMonth)}
                  additionalInfo={t('ofLimit', { used: count(report.currentMonth.smsSegments), limit: count(report.limits.smsSegmentsPerMonth) })}
                />
                <ProgressBar
                  label={t('spendMonth')}
                  value={percentOf(report.currentMonth.smsEstimatedCostUsd, report.limits.smsSpendCapUsdPerMonth)}
                  additionalInfo={t('ofLimit', { used: usd(report.currentMonth.smsEstimatedCostUsd), limit: usd(report.limits.smsSpendCapUsdPerMonth) })}
                />
              </ColumnLayout>
              <Box margin={{ top: 's' }} color="text-body-secondary">
                {t('highest', { percent: format.percent(report.currentMonth.percentOfCap / 100) })}
              </Box>
            </Container>
            <Container header={<Header variant="h2" description={t('prices', { date: report.priceTable.effectiveDate, currency: report.priceTable.currency })}>{t('inPeriod', { from: dateOf(report.period.from), to: dateOf(report.period.to) })}</Header>}>
              <KeyValuePairs
                columns={4}
                items={[
                  { label: t('smsSegments'), value: count(report.totals.smsSegments) },
                  { label: t('smsCost'), value: usd(report.totals.smsEstimatedCostUsd) },
                  { label: t('smsRefused'), value: count(report.totals.smsRefused), info: <Box variant="small">{t('smsRefusedHint')}</Box> },
                  { label: t('apiRequests'), value: count(report.totals.apiRequests) },
                  { label: t('apiLimit'), value: t('perMinute', { limit: count(report.limits.apiRequestsPerMinute) }) },
                  { label: t('contacts'), value: count(report.totals.contacts) },
                  { label: t('surveysSent'), value: count(report.totals.surveysSent) },
                ]}
              />
            </Container>
            <Container header={<Header variant="h2" description={t('dailyHint')}>{t('daily')}</Header>}>
              <BarChart
                series={[{ title: t('smsSegments'), type: 'bar', data: report.days.map((day) => ({ x: dateOf(day.date), y: day.smsSegments })) }]}
                xScaleType="categorical"
                xTitle={t('xTitle')}
                yTitle={t('yTitle')}
                height={220}
                hideFilter
                ariaLabel={t('daily')}
                empty={<Box textAlign="center" color="inherit">{t('noData')}</Box>}
                i18nStrings={{ yTickFormatter: (value) => count(value) }}
              />
            </Container>
          </>
        )}
      </SpaceBetween>
    </ContentLayout>
  );
}
