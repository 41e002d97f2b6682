import Alert from '@cloudscape-design/components/alert';
import Badge from '@cloudscape-design/components/badge';
import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useFormat, useMessages } from '../../i18n/locale';
import type { Language, Template } from './draft';
import { templateMessages } from './messages';
import type { SmsMessage } from './sms';

export interface SmsFigures {
  messages: SmsMessage[];
  maxSegmentsPerMessage: number;
  /** The version whose figures the service gave; undefined when counted here for unsaved changes. */
  fromVersion?: number;
}

/**
 * The messages put together here, with the service's own counts when the editor holds a saved
 * version unchanged (matched by kind, question and language).
 */
export function withServiceCounts(local: SmsMessage[], template: Template): SmsMessage[] {
  return local.map((message) => {
    const counted = template.sms.messages.find(
      (candidate) => candidate.language === message.language && candidate.message === message.kind && (candidate.questionId ?? '') === (message.questionId ?? ''),
    );
    return counted
      ? { ...message, encoding: counted.encoding, characters: counted.characters, segments: counted.segments, overLimit: counted.overLimit }
      : message;
  });
}

export function SmsPreview({ figures, company, thankYouTexted, webLinkAdded }: { figures: SmsFigures; company: string; thankYouTexted: boolean; webLinkAdded: boolean }) {
  const t = useMessages(templateMessages);
  const format = useFormat();
  const max = figures.maxSegmentsPerMessage;
  const over = figures.messages.filter((message) => message.overLimit);
  return (
    <SpaceBetween size="m">
      <Box variant="p">{t('smsDescription', { company })}</Box>
      <StatusIndicator type={figures.fromVersion === undefined ? 'pending' : 'info'}>
        {figures.fromVersion === undefined ? t('smsEstimated') : t('smsFromApi', { version: figures.fromVersion })}
      </StatusIndicator>
      {over.length > 0 ? (
        <Alert type="warning" statusIconAriaLabel="Warning">
          {t('smsWarnings', { count: format.number(over.length), max })}
        </Alert>
      ) : null}
      <ColumnLayout columns={2} variant="text-grid">
        {(['en', 'zh-TW'] as const).map((language) => (
          <LanguageColumn key={language} language={language} messages={figures.messages.filter((message) => message.language === language)} max={max} thankYouTexted={thankYouTexted} />
        ))}
      </ColumnLayout>
      <Box variant="small" color="text-body-secondary">
        {webLinkAdded ? `${t('smsWebLinkIncluded')} ` : ''}
        {t('smsEncodingHelp')}
      </Box>
    </SpaceBetween>
  );
}

function LanguageColumn({ language, messages, max, thankYouTexted }: { language: Language; messages: SmsMessage[]; max: number; thankYouTexted: boolean }) {
  const t = useMessages(templateMessages);
  const format = useFormat();
  const languageName = language === 'en' ? t('languageEn') : t('languageZh');
  const texted = messages.filter((message) => message.kind !== 'thankYou' || thankYouTexted);
  const segments = texted.reduce((sum, message) => sum + message.segments, 0);
  return (
    <section aria-label={t('smsLanguage', { language: languageName })} data-testid={`sms-${language}`}>
      <SpaceBetween size="s">
        <Box variant="h3">{t('smsLanguage', { language: languageName })}</Box>
        {messages.map((message, index) => {
          const title =
            message.kind === 'first'
              ? message.questionId
                ? t('smsFirst', { question: message.questionId })
                : t('smsFirstNoQuestion')
              : message.kind === 'thankYou'
                ? t('smsThankYou')
                : t('smsQuestion', { question: message.questionId ?? '' });
          return (
            <div key={index} data-testid="sms-message" data-segments={message.segments} data-encoding={message.encoding}>
              <SpaceBetween size="xxs">
                <Box variant="h4">{title}</Box>
                <div className={message.overLimit ? 'sms-bubble over-limit' : 'sms-bubble'} lang={language}>
                  {message.text === '' ? t('smsEmptyText') : message.text}
                </div>
                <SpaceBetween size="xs" direction="horizontal">
                  <Badge color={message.encoding === 'GSM-7' ? 'grey' : 'blue'}>{message.encoding}</Badge>
                  <Box variant="small">
                    {t('smsFacts', {
                      characters: format.number(message.characters),
                      segments: message.segments === 1 ? t('segmentOne') : t('segmentMany', { count: format.number(message.segments) }),
                    })}
                  </Box>
                </SpaceBetween>
                {message.overLimit ? (
                  <StatusIndicator type="warning">{t('smsOverLimit', { segments: format.number(message.segments), max })}</StatusIndicator>
                ) : (
                  <StatusIndicator type="success">{t('smsWithinLimit', { max })}</StatusIndicator>
                )}
                {message.kind === 'thankYou' && !thankYouTexted ? <Box variant="small">{t('smsThankYouNotSent')}</Box> : null}
              </SpaceBetween>
            </div>
          );
        })}
        <Box variant="strong">{t('smsTotal', { messages: format.number(texted.length), segments: format.number(segments) })}</Box>
      </SpaceBetween>
    </section>
  );
}
