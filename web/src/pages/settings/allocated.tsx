import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/api-context';
import { answer } from '../../api/client';
import { ProblemAlert } from '../../components/problem';
import { useMessages } from '../../i18n/locale';
import { ConnectAccessUrlSection } from './connect';
import { settingsMessages } from './messages';
import type { Settings } from './use-settings';

/**
 * What the operator gave the tenant and the settings use: the SMS sender and its configuration,
 * and the Amazon Connect instances whose contacts are logged. Read-only here: the operator
 * allocates them, and the API refuses settings that name anything else.
 */
export function AllocatedSection({ settings }: { settings: Settings }) {
  const t = useMessages(settingsMessages);
  const sms = settings.sms;
  const none = (text: string) => <Box color="text-status-inactive">{text}</Box>;
  const code = (text: string) => <Box variant="code">{text}</Box>;
  const api = useApi();
  const tenant = useQuery({ queryKey: ['tenant'], queryFn: () => answer(api.GET('/v1/tenant')) });
  const allocations = tenant.data?.allocations;
  const list = (values: readonly string[] | undefined) =>
    values && values.length > 0 ? (
      <SpaceBetween size="xxs">{values.map((value) => <span key={value}>{code(value)}</span>)}</SpaceBetween>
    ) : (
      none(t('allocatedNone'))
    );
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2" description={t('allocatedDescription')}>{t('allocatedTitle')}</Header>}>
        {tenant.isPending ? (
          <Spinner />
        ) : tenant.error ? (
          <ProblemAlert error={tenant.error} />
        ) : (
          <KeyValuePairs
            columns={3}
            items={[
              { label: t('allocatedSenders'), value: list(allocations?.smsOriginationIdentities) },
              { label: t('allocatedConfigurationSets'), value: list(allocations?.smsConfigurationSets) },
              { label: t('allocatedOptOutLists'), value: list(allocations?.smsOptOutLists) },
              { label: t('allocatedConnectAccounts'), value: list(allocations?.connectAccounts) },
              { label: t('allocatedConnectInstances'), value: list(allocations?.connectInstances) },
            ]}
          />
        )}
      </Container>
      <Container header={<Header variant="h2" description={t('smsSenderDescription')}>{t('smsSenderTitle')}</Header>}>
        <KeyValuePairs
          columns={3}
          items={[
            { label: t('originationIdentity'), value: sms?.originationIdentity ? code(sms.originationIdentity) : none(t('noSender')) },
            { label: t('configurationSet'), value: sms?.configurationSetName ? code(sms.configurationSetName) : none(t('notSet')) },
            { label: t('optOutList'), value: sms?.optOutListName ? code(sms.optOutListName) : none(t('awsDefault')) },
            {
              label: t('destinationCountries'),
              value: sms?.allowedDestinationCountries?.length ? sms.allowedDestinationCountries.join(', ') : t('defaultCountryOnly', { country: settings.defaultCountry }),
            },
          ]}
        />
      </Container>
      <ConnectAccessUrlSection settings={settings} />
      <Container header={<Header variant="h2" description={t('connectDescription')}>{t('connectTitle')}</Header>}>
        {settings.connect.instanceArns.length === 0 ? (
          none(t('noConnect'))
        ) : (
          <ul aria-label={t('connectTitle')}>
            {settings.connect.instanceArns.map((arn) => (
              <li key={arn}>{code(arn)}</li>
            ))}
          </ul>
        )}
      </Container>
      <Box variant="p" color="text-body-secondary">
        {t('allocatedNote')}
      </Box>
    </SpaceBetween>
  );
}
