import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { Schemas } from '../../api/client';
import { useFormat, useMessages } from '../../i18n/locale';
import { useFigures } from './figures';
import { dashboardMessages } from './messages';

type MetricSummary = Schemas['MetricSummary'];

/** The period's figures for the whole contact center, as labelled tiles. */
export function SummaryTiles({ metrics }: { metrics: MetricSummary }) {
  const t = useMessages(dashboardMessages);
  const figures = useFigures();
  const format = useFormat();
  const { contacts, surveys, cases } = metrics;
  const serviceLevel = contacts.serviceLevel;
  const small = (text: string) => (
    <Box variant="small" color="text-body-secondary">
      {text}
    </Box>
  );
  // A figure with nothing to count from says so quietly rather than in display type.
  const big = (text: string, testId: string) =>
    text === t('noValue') ? (
      <Box fontSize="heading-m" color="text-status-inactive" padding={{ vertical: 'xs' }} data-testid={testId}>
        {text}
      </Box>
    ) : (
      <Box fontSize="display-l" fontWeight="bold" data-testid={testId}>
        {text}
      </Box>
    );
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2" description={t('contactsInfo')}>{t('contacts')}</Header>}>
        <KeyValuePairs
          columns={4}
          items={[
            { label: t('offered'), value: big(figures.count(contacts.offered), 'offered') },
            { label: t('handled'), value: big(figures.count(contacts.handled), 'handled') },
            {
              label: t('abandoned'),
              value: (
                <>
                  {big(figures.count(contacts.abandoned), 'abandoned')}
                  {contacts.abandonmentRate !== null && small(t('abandonmentRate', { rate: figures.percent(contacts.abandonmentRate) }))}
                </>
              ),
            },
            {
              label: t('serviceLevel'),
              value: (
                <>
                  {big(figures.percent(serviceLevel.percent), 'service-level')}
                  {serviceLevel.met !== null && (
                    <Box>
                      <StatusIndicator type={serviceLevel.met ? 'success' : 'warning'}>{serviceLevel.met ? t('goalMet') : t('goalMissed')}</StatusIndicator>
                    </Box>
                  )}
                  {small(
                    t('serviceLevelGoal', {
                      target: format.percent(serviceLevel.targetPercent / 100),
                      seconds: format.number(serviceLevel.thresholdSeconds),
                    }),
                  )}
                </>
              ),
            },
            { label: t('asa'), value: big(figures.duration(contacts.averageSpeedOfAnswerSeconds), 'asa') },
            {
              label: t('aht'),
              value: (
                <>
                  {big(figures.duration(contacts.averageHandleTimeSeconds), 'aht')}
                  {contacts.averageHandleTimeSeconds !== null &&
                    small(
                      t('ahtParts', {
                        talk: figures.duration(contacts.averageTalkSeconds),
                        work: figures.duration(contacts.averageAfterContactWorkSeconds),
                      }),
                    )}
                </>
              ),
            },
            {
              label: t('fcr'),
              value: (
                <>
                  {big(figures.percent(contacts.firstContactResolutionRate), 'fcr')}
                  {contacts.transferRate !== null && small(t('transferRate', { rate: figures.percent(contacts.transferRate) }))}
                </>
              ),
            },
          ]}
        />
      </Container>
      <Container header={<Header variant="h2">{t('feedback')}</Header>}>
        {surveys ? (
          <KeyValuePairs
            columns={3}
            items={[
              {
                label: t('csat'),
                value: (
                  <>
                    {big(figures.percent(surveys.csat), 'csat')}
                    {small(t('csatInfo', { count: format.number(surveys.csatResponses) }))}
                  </>
                ),
              },
              {
                label: t('nps'),
                value: (
                  <>
                    {big(figures.score(surveys.nps), 'nps')}
                    {small(t('npsInfo', { count: format.number(surveys.npsResponses) }))}
                  </>
                ),
              },
              {
                label: t('ces'),
                value: (
                  <>
                    {big(figures.score(surveys.ces), 'ces')}
                    {small(t('cesInfo', { count: format.number(surveys.cesResponses) }))}
                  </>
                ),
              },
            ]}
          />
        ) : (
          <Box color="text-body-secondary">{t('surveysByReason')}</Box>
        )}
      </Container>
      {cases && (
        <Container header={<Header variant="h2">{t('cases')}</Header>}>
          <KeyValuePairs
            columns={4}
            items={[
              { label: t('backlog'), value: <>{big(figures.count(cases.backlog), 'backlog')}{small(t('backlogInfo'))}</> },
              { label: t('breaches'), value: <>{big(figures.count(cases.slaBreaches), 'breaches')}{small(t('breachesInfo'))}</> },
              {
                label: t('slaCompliance'),
                value: (
                  <>
                    {big(figures.percent(cases.slaCompliance), 'sla-compliance')}
                    {cases.resolved !== null && small(t('resolvedCount', { count: format.number(cases.resolved) }))}
                  </>
                ),
              },
              { label: t('opened'), value: big(figures.count(cases.opened), 'cases-opened') },
            ]}
          />
        </Container>
      )}
    </SpaceBetween>
  );
}
