import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useMessages } from '../../i18n/locale';
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
  return (
    <SpaceBetween size="l">
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
