import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Multiselect from '@cloudscape-design/components/multiselect';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Toggle from '@cloudscape-design/components/toggle';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { ProblemAlert, fieldError } from '../../components/problem';
import type { Translate } from '../../i18n/locale';
import { type EventType, eventTypes } from './event-types';
import type { webhookMessages } from './messages';

type Webhook = Schemas['Webhook'];
type Keys = keyof typeof webhookMessages.en;

/** Creates a webhook (then shows its secret once, by `onCreated`) or edits one with the If-Match of the version shown. */
export function WebhookForm({
  t,
  webhook,
  onClose,
  onSaved,
  onCreated,
}: {
  t: Translate<Keys>;
  webhook?: Webhook;
  onClose(): void;
  onSaved(): void;
  onCreated(created: Schemas['WebhookWithSecret']): void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [everything, setEverything] = useState(webhook ? webhook.eventTypes.includes('*') : false);
  const [chosen, setChosen] = useState<EventType[]>(webhook ? (webhook.eventTypes.filter((type) => type !== '*') as EventType[]) : []);
  const [description, setDescription] = useState(webhook?.description ?? '');
  const [enabled, setEnabled] = useState(webhook?.enabled ?? true);
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const types = everything ? (['*'] as const) : chosen;
  const save = useMutation({
    mutationFn: async () => {
      if (!webhook) {
        const created = await answer(
          api.POST('/v1/webhooks', {
            params: { header: { 'Idempotency-Key': idempotencyKey } },
            body: { url, eventTypes: [...types], enabled, ...(description.trim() && { description }) },
          }),
        );
        return { created };
      }
      const sameTypes = [...webhook.eventTypes].sort().join() === [...types].sort().join();
      await answer(
        api.PATCH('/v1/webhooks/{webhookId}', {
          params: { path: { webhookId: webhook.webhookId }, header: { 'If-Match': `"${webhook.version}"` } },
          body: {
            ...(url !== webhook.url && { url }),
            ...(!sameTypes && { eventTypes: [...types] }),
            ...(description !== (webhook.description ?? '') && { description: description.trim() ? description : null }),
            ...(enabled !== webhook.enabled && { enabled }),
          },
        }),
      );
      return { created: undefined };
    },
    onSuccess: ({ created }) => {
      void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
      void queryClient.invalidateQueries({ queryKey: ['audit-log'] });
      if (created) onCreated(created);
      else onSaved();
    },
  });

  return (
    <Modal visible size="medium" header={webhook ? t('edit') : t('create')} onDismiss={onClose}>
      <form onSubmit={(event) => { event.preventDefault(); save.mutate(); }}>
        <Form
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>{t('cancel')}</Button>
              <Button variant="primary" loading={save.isPending}>{webhook ? t('save') : t('create')}</Button>
            </SpaceBetween>
          }
          errorText={save.error ? <ProblemAlert error={save.error} /> : undefined}
        >
          <SpaceBetween size="m">
            <FormField label={t('url')} description={t('urlHint')} errorText={fieldError(save.error, '$.url')}>
              <Input type="url" value={url} inputMode="url" placeholder="https://hooks.example.com/switchboard" onChange={(event) => setUrl(event.detail.value)} autoFocus />
            </FormField>
            <FormField label={t('eventTypes')} description={t('eventTypesHint')} errorText={fieldError(save.error, '$.eventTypes', true)}>
              <SpaceBetween size="s">
                <RadioGroup
                  value={everything ? 'all' : 'chosen'}
                  onChange={(event) => setEverything(event.detail.value === 'all')}
                  items={[
                    { value: 'all', label: t('allEvents'), description: t('allEventsHint') },
                    { value: 'chosen', label: t('chosenEvents') },
                  ]}
                />
                {!everything && (
                  <Multiselect
                    ariaLabel={t('chooseEvents')}
                    placeholder={t('chooseEvents')}
                    selectedOptions={chosen.map((type) => ({ value: type, label: type }))}
                    onChange={(event) => setChosen(event.detail.selectedOptions.map((option) => option.value as EventType))}
                    options={eventTypes.map((type) => ({ value: type, label: type, description: t(`eventHelp.${type}`) }))}
                    filteringType="auto"
                  />
                )}
              </SpaceBetween>
            </FormField>
            <FormField label={t('webhookDescription')} description={t('webhookDescriptionHint')} errorText={fieldError(save.error, '$.description')}>
              <Input value={description} onChange={(event) => setDescription(event.detail.value)} />
            </FormField>
            <FormField label={t('enabled')} description={t('enabledHint')} errorText={fieldError(save.error, '$.enabled')}>
              <Toggle checked={enabled} onChange={(event) => setEnabled(event.detail.checked)}>{enabled ? t('state.on') : t('state.off')}</Toggle>
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
