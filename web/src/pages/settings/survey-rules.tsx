import ColumnLayout from '@cloudscape-design/components/column-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Multiselect from '@cloudscape-design/components/multiselect';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Toggle from '@cloudscape-design/components/toggle';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/api-context';
import { answer } from '../../api/client';
import { fieldError } from '../../components/problem';
import { type Translate, useMessages } from '../../i18n/locale';
import { settingsMessages } from './messages';
import { useSection } from './section';
import { numberOrAsTyped, numberOrNone, textOf } from './values';
import type { Settings } from './use-settings';

type Rules = Settings['surveys'];
const channels = ['voice', 'chat', 'email', 'sms', 'web', 'walk_in'] as const;
const purposes = ['service', 'sales', 'care', 'survey', 'collection'] as const;
type Channel = (typeof channels)[number];
type Purpose = (typeof purposes)[number];

/** The rules with every number as typed. */
interface RulesDraft {
  enabled: boolean;
  templateId: string | null;
  deliveryChannel: 'sms' | 'link';
  requireExplicitConsent: boolean;
  channels: Channel[];
  purposes: Purpose[];
  queues: string;
  delayMinutes: string;
  samplingPercent: string;
  quiet: boolean;
  quietStart: string;
  quietEnd: string;
  suppressionDays: string;
  dailyCap: string;
  linkExpiryHours: string;
  csat: string;
  nps: string;
  smsWebLink: boolean;
  smsThankYou: boolean;
  maxSegmentsPerMessage: string;
}

const draftOf = (rules: Rules): RulesDraft => ({
  enabled: rules.enabled,
  templateId: rules.templateId,
  deliveryChannel: rules.deliveryChannel,
  requireExplicitConsent: rules.requireExplicitConsent,
  channels: [...rules.channels],
  purposes: [...rules.purposes],
  queues: rules.queues.join(', '),
  delayMinutes: String(rules.delayMinutes),
  samplingPercent: String(rules.samplingPercent),
  quiet: rules.quietHours !== null,
  quietStart: rules.quietHours?.start ?? '21:00',
  quietEnd: rules.quietHours?.end ?? '08:00',
  suppressionDays: String(rules.suppressionDays),
  dailyCap: textOf(rules.dailyCap),
  linkExpiryHours: String(rules.linkExpiryHours),
  csat: textOf(rules.lowScoreThresholds.csat),
  nps: textOf(rules.lowScoreThresholds.nps),
  // Absent: rules from before these settings, which keep the link and the thanks (the API's rule).
  smsWebLink: rules.smsWebLink ?? true,
  smsThankYou: rules.smsThankYou ?? true,
  maxSegmentsPerMessage: String(rules.maxSegmentsPerMessage ?? 1),
});

const patchOf = (draft: RulesDraft) => ({
  surveys: {
    enabled: draft.enabled,
    templateId: draft.templateId,
    deliveryChannel: draft.deliveryChannel,
    requireExplicitConsent: draft.requireExplicitConsent,
    channels: draft.channels,
    purposes: draft.purposes,
    queues: draft.queues
      .split(/[,，\n]/)
      .map((queue) => queue.trim())
      .filter(Boolean),
    delayMinutes: numberOrAsTyped(draft.delayMinutes),
    samplingPercent: numberOrAsTyped(draft.samplingPercent),
    quietHours: draft.quiet ? { start: draft.quietStart.trim(), end: draft.quietEnd.trim() } : null,
    suppressionDays: numberOrAsTyped(draft.suppressionDays),
    dailyCap: numberOrNone(draft.dailyCap),
    linkExpiryHours: numberOrAsTyped(draft.linkExpiryHours),
    lowScoreThresholds: { csat: numberOrNone(draft.csat), nps: numberOrNone(draft.nps) },
    smsWebLink: draft.smsWebLink,
    smsThankYou: draft.smsThankYou,
    maxSegmentsPerMessage: numberOrAsTyped(draft.maxSegmentsPerMessage),
  },
});

const list = (t: Translate<keyof typeof settingsMessages.en>, items: string[], none: string) => (items.length === 0 ? none : items.join(t('listSeparator')));

export function SurveyRulesSection({ settings }: { settings: Settings }) {
  const t = useMessages(settingsMessages);
  const api = useApi();
  const templates = useQuery({
    queryKey: ['survey-templates', 'active'],
    queryFn: () => answer(api.GET('/v1/survey-templates', { params: { query: { status: 'active', limit: 100 } } })),
  });
  const section = useSection<RulesDraft>({
    id: 'surveys',
    settings,
    header: t('surveysTitle'),
    description: t('surveysDescription', { timezone: settings.timezone }),
    fromSettings: (current) => draftOf(current.surveys),
    toPatch: patchOf,
  });
  const { value, change, error, canEdit } = section;
  const set = (next: Partial<RulesDraft>) => change({ ...value, ...next });
  const at = (field: string) => fieldError(error, `$.surveys.${field}`);
  const sender = settings.sms?.originationIdentity;
  const sms = value.deliveryChannel === 'sms';

  const templateOptions = (templates.data?.items ?? []).map((template) => ({ value: template.templateId, label: template.name, description: template.templateId }));
  const selectedTemplate = templateOptions.find((option) => option.value === value.templateId) ?? (value.templateId ? { value: value.templateId, label: value.templateId } : null);
  const channelOptions = channels.map((channel) => ({ value: channel, label: t(`channel.${channel}`) }));
  const purposeOptions = purposes.map((purpose) => ({ value: purpose, label: t(`purpose.${purpose}`) }));
  const n = (text: string) => text.trim() || '…';

  return section.frame(
    <SpaceBetween size="l">
      <FormField
        label={t('surveysEnabled')}
        description={value.enabled ? t('says.enabled') : t('says.disabled')}
        constraintText={sms && !sender ? t('noSenderConstraint') : undefined}
        errorText={at('enabled')}
      >
        <Toggle checked={value.enabled} disabled={!canEdit} onChange={(event) => set({ enabled: event.detail.checked })}>
          {value.enabled ? t('on') : t('off')}
        </Toggle>
      </FormField>
      <FormField
        label={t('template')}
        description={selectedTemplate ? t('says.template', { name: selectedTemplate.label }) : t('says.noTemplate')}
        errorText={at('templateId')}
      >
        <Select
          selectedOption={selectedTemplate}
          options={templateOptions}
          statusType={templates.isPending ? 'loading' : templates.error ? 'error' : 'finished'}
          loadingText={t('loading')}
          errorText={templates.error ? t('templatesFailed') : undefined}
          empty={t('noTemplates')}
          placeholder={t('chooseTemplate')}
          disabled={!canEdit}
          onChange={(event) => set({ templateId: event.detail.selectedOption.value ?? null })}
        />
      </FormField>
      <FormField
        label={t('deliveryChannel')}
        description={sms ? (sender ? t('says.sms', { sender }) : t('says.smsNoSender')) : t('says.link')}
        errorText={at('deliveryChannel')}
      >
        <RadioGroup
          value={value.deliveryChannel}
          readOnly={!canEdit}
          onChange={(event) => set({ deliveryChannel: event.detail.value as RulesDraft['deliveryChannel'] })}
          items={[
            { value: 'sms', label: t('delivery.sms') },
            { value: 'link', label: t('delivery.link') },
          ]}
        />
      </FormField>
      <FormField
        label={t('consent')}
        description={!sms ? t('says.consentLink') : value.requireExplicitConsent ? t('says.consentExplicit') : t('says.consentUnknown')}
        errorText={at('requireExplicitConsent')}
      >
        <Toggle checked={value.requireExplicitConsent} disabled={!canEdit} onChange={(event) => set({ requireExplicitConsent: event.detail.checked })}>
          {t('consentToggle')}
        </Toggle>
      </FormField>

      <Header variant="h3">{t('whichContacts')}</Header>
      <ColumnLayout columns={3}>
        <FormField label={t('channels')} description={t('says.channels', { list: list(t, value.channels.map((channel) => t(`channel.${channel}`)), t('nothing')) })} errorText={at('channels')}>
          <Multiselect
            selectedOptions={channelOptions.filter((option) => value.channels.includes(option.value))}
            options={channelOptions}
            disabled={!canEdit}
            placeholder={t('chooseChannels')}
            onChange={(event) => set({ channels: event.detail.selectedOptions.map((option) => option.value as Channel) })}
          />
        </FormField>
        <FormField label={t('purposes')} description={t('says.purposes', { list: list(t, value.purposes.map((purpose) => t(`purpose.${purpose}`)), t('nothing')) })} errorText={at('purposes')}>
          <Multiselect
            selectedOptions={purposeOptions.filter((option) => value.purposes.includes(option.value))}
            options={purposeOptions}
            disabled={!canEdit}
            placeholder={t('choosePurposes')}
            onChange={(event) => set({ purposes: event.detail.selectedOptions.map((option) => option.value as Purpose) })}
          />
        </FormField>
        <FormField label={t('queues')} description={value.queues.trim() ? t('says.queues', { list: value.queues }) : t('says.anyQueue')} errorText={at('queues') ?? fieldError(error, '$.surveys.queues', true)}>
          <Input value={value.queues} readOnly={!canEdit} placeholder="complaints, billing" onChange={(event) => set({ queues: event.detail.value })} />
        </FormField>
      </ColumnLayout>
      <ColumnLayout columns={3}>
        <FormField label={t('samplingPercent')} description={t('says.sampling', { n: n(value.samplingPercent) })} errorText={at('samplingPercent')}>
          <Input value={value.samplingPercent} inputMode="decimal" readOnly={!canEdit} onChange={(event) => set({ samplingPercent: event.detail.value })} />
        </FormField>
        <FormField
          label={t('suppressionDays')}
          description={value.suppressionDays.trim() === '0' ? t('says.noSuppression') : t('says.suppression', { n: n(value.suppressionDays) })}
          errorText={at('suppressionDays')}
        >
          <Input value={value.suppressionDays} inputMode="numeric" readOnly={!canEdit} onChange={(event) => set({ suppressionDays: event.detail.value })} />
        </FormField>
        <FormField label={t('dailyCap')} description={value.dailyCap.trim() ? t('says.dailyCap', { n: value.dailyCap }) : t('says.noDailyCap')} errorText={at('dailyCap')}>
          <Input value={value.dailyCap} inputMode="numeric" readOnly={!canEdit} placeholder={t('noCap')} onChange={(event) => set({ dailyCap: event.detail.value })} />
        </FormField>
      </ColumnLayout>

      <Header variant="h3">{t('when')}</Header>
      <ColumnLayout columns={3}>
        <FormField
          label={t('delayMinutes')}
          description={value.delayMinutes.trim() === '0' ? t('says.atOnce') : t('says.delay', { n: n(value.delayMinutes) })}
          errorText={at('delayMinutes')}
        >
          <Input value={value.delayMinutes} inputMode="numeric" readOnly={!canEdit} onChange={(event) => set({ delayMinutes: event.detail.value })} />
        </FormField>
        <FormField
          label={t('quietHours')}
          description={value.quiet ? t('says.quiet', { start: n(value.quietStart), end: n(value.quietEnd), timezone: settings.timezone }) : t('says.noQuiet')}
          errorText={at('quietHours')}
        >
          <SpaceBetween size="xs">
            <Toggle checked={value.quiet} disabled={!canEdit} onChange={(event) => set({ quiet: event.detail.checked })}>
              {t('quietToggle')}
            </Toggle>
            {value.quiet && (
              <SpaceBetween direction="horizontal" size="xs">
                <FormField label={t('quietFrom')} errorText={at('quietHours.start')}>
                  <Input value={value.quietStart} placeholder="21:00" readOnly={!canEdit} onChange={(event) => set({ quietStart: event.detail.value })} />
                </FormField>
                <FormField label={t('quietUntil')} errorText={at('quietHours.end')}>
                  <Input value={value.quietEnd} placeholder="08:00" readOnly={!canEdit} onChange={(event) => set({ quietEnd: event.detail.value })} />
                </FormField>
              </SpaceBetween>
            )}
          </SpaceBetween>
        </FormField>
        <FormField label={t('linkExpiryHours')} description={t('says.linkExpiry', { n: n(value.linkExpiryHours) })} errorText={at('linkExpiryHours')}>
          <Input value={value.linkExpiryHours} inputMode="numeric" readOnly={!canEdit} onChange={(event) => set({ linkExpiryHours: event.detail.value })} />
        </FormField>
      </ColumnLayout>

      <Header variant="h3">{t('afterAnswers')}</Header>
      <ColumnLayout columns={2}>
        <FormField label={t('csatThreshold')} description={value.csat.trim() ? t('says.csat', { n: value.csat }) : t('says.csatNever')} errorText={at('lowScoreThresholds.csat')}>
          <Input value={value.csat} inputMode="numeric" readOnly={!canEdit} placeholder={t('never')} onChange={(event) => set({ csat: event.detail.value })} />
        </FormField>
        <FormField label={t('npsThreshold')} description={value.nps.trim() ? t('says.nps', { n: value.nps }) : t('says.npsNever')} errorText={at('lowScoreThresholds.nps')}>
          <Input value={value.nps} inputMode="numeric" readOnly={!canEdit} placeholder={t('never')} onChange={(event) => set({ nps: event.detail.value })} />
        </FormField>
      </ColumnLayout>

      <Header variant="h3" description={sms ? undefined : t('smsOnlyNote')}>
        {t('smsConversation')}
      </Header>
      <ColumnLayout columns={3}>
        <FormField label={t('smsWebLink')} description={value.smsWebLink ? t('says.webLink') : t('says.noWebLink')} errorText={at('smsWebLink')}>
          <Toggle checked={value.smsWebLink} disabled={!canEdit} onChange={(event) => set({ smsWebLink: event.detail.checked })}>
            {value.smsWebLink ? t('on') : t('off')}
          </Toggle>
        </FormField>
        <FormField label={t('smsThankYou')} description={value.smsThankYou ? t('says.thankYou') : t('says.noThankYou')} errorText={at('smsThankYou')}>
          <Toggle checked={value.smsThankYou} disabled={!canEdit} onChange={(event) => set({ smsThankYou: event.detail.checked })}>
            {value.smsThankYou ? t('on') : t('off')}
          </Toggle>
        </FormField>
        <FormField label={t('maxSegments')} description={t('says.maxSegments', { n: n(value.maxSegmentsPerMessage) })} errorText={at('maxSegmentsPerMessage')}>
          <Input value={value.maxSegmentsPerMessage} inputMode="numeric" readOnly={!canEdit} onChange={(event) => set({ maxSegmentsPerMessage: event.detail.value })} />
        </FormField>
      </ColumnLayout>
    </SpaceBetween>,
  );
}
