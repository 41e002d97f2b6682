import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Textarea from '@cloudscape-design/components/textarea';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { useRouter } from '../../app/router';
import { ProblemAlert, fieldError } from '../../components/problem';
import { useFormat, useLocale, useMessages } from '../../i18n/locale';
import { surveyScores } from '../../../../shared/domain/surveys/scores';
import { customerName } from '../customer/names';
import { contactLogMessages } from './messages';
import { channels, contactVocabulary, directions, outcomes } from './vocabulary';

type Contact = Schemas['ContactWithReferrals'];
type Channel = (typeof channels)[number];
type Direction = (typeof directions)[number];
type Outcome = (typeof outcomes)[number];

/**
 * `/desk/contacts/new?customerId=&contactId=`: logs a contact by hand, or, with the contactId of an
 * open contact (from a screen pop), wraps that one up; then closes it and shows the survey decided.
 */
export default function ContactLogPage() {
  const { query } = useRouter();
  const t = useMessages(contactLogMessages);
  const api = useApi();
  const contactId = query.get('contactId') ?? undefined;
  const existing = useQuery({
    queryKey: ['contact', contactId],
    enabled: contactId !== undefined,
    queryFn: () => answer(api.GET('/v1/contacts/{contactId}', { params: { path: { contactId: contactId! } } })),
  });
  if (contactId && existing.isPending) return <Spinner size="large" />;
  if (existing.error) return <ProblemAlert error={existing.error} />;
  const open = existing.data?.status === 'open' ? existing.data : undefined;
  return <ContactForm key={contactId ?? 'new'} customerId={query.get('customerId') ?? existing.data?.customerId ?? undefined} existing={open} title={open ? t('wrapUpTitle') : t('title')} />;
}

function ContactForm({ customerId, existing, title }: { customerId?: string; existing?: Contact; title: string }) {
  const t = useMessages(contactLogMessages);
  const v = useMessages(contactVocabulary);
  const api = useApi();
  const me = useMe();
  const { locale } = useLocale();
  const queryClient = useQueryClient();
  const [channel, setChannel] = useState<Channel>((existing?.channel as Channel | undefined) ?? 'voice');
  const [direction, setDirection] = useState<Direction>(existing?.direction ?? 'inbound');
  const [queue, setQueue] = useState(existing?.queue ?? '');
  const [reasonCode, setReasonCode] = useState(existing?.reasonCode ?? '');
  const [outcome, setOutcome] = useState<Outcome>('resolved');
  const [fcr, setFcr] = useState(true);
  const [notes, setNotes] = useState(existing?.notes ?? '');
  const [refer, setRefer] = useState(false);
  const [product, setProduct] = useState('');
  // A contact created by an attempt whose later step failed: the retry goes on with it.
  const [logged, setLogged] = useState<Contact | undefined>(existing);

  const customer = useQuery({
    queryKey: ['customer', customerId],
    enabled: customerId !== undefined,
    queryFn: () => answer(api.GET('/v1/customers/{customerId}', { params: { path: { customerId: customerId! } } })),
  });
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => answer(api.GET('/v1/settings')) });
  const reasonOptions = (settings.data?.reasonCodes ?? [])
    .filter((reason) => reason.active !== false)
    .map((reason) => ({ value: reason.code, label: reason.label[locale] ?? reason.label.en ?? reason.label['zh-TW'] ?? reason.code, description: reason.code }));
  const agentId = me.data?.principal.kind === 'person' ? me.data.principal.agentId : undefined;

  const save = useMutation({
    mutationFn: async () => {
      const fields = {
        channel,
        direction,
        ...(queue.trim() && { queue: queue.trim() }),
        ...(reasonCode && { reasonCode }),
        ...(notes.trim() && { notes: notes.trim() }),
      };
      let contact = logged;
      if (!contact) {
        contact = await answer(api.POST('/v1/contacts', { body: { ...fields, ...(customerId && { customerId }), ...(agentId && { agentId }) } }));
      } else if (contact === existing) {
        contact = await answer(
          api.PATCH('/v1/contacts/{contactId}', {
            params: { path: { contactId: contact.contactId }, header: { 'If-Match': `"${contact.version}"` } },
            // A contact logged from Amazon Connect has no customer yet: the one shown (from the screen pop) is linked to it.
            body: { ...fields, ...(!contact.agentId && agentId && { agentId }), ...(!contact.customerId && customerId && { customerId }) },
          }),
        );
      }
      setLogged(contact);
      if (refer && product.trim() && !contact.referrals.some((referral) => referral.product === product.trim())) {
        await answer(api.POST('/v1/contacts/{contactId}/referrals', { params: { path: { contactId: contact.contactId } }, body: { product: product.trim() } }));
      }
      return answer(
        api.POST('/v1/contacts/{contactId}/close', { params: { path: { contactId: contact.contactId } }, body: { outcome, firstContactResolution: fcr } }),
      );
    },
    onSuccess: (closed) => {
      setLogged(closed);
      if (customerId) void queryClient.invalidateQueries({ queryKey: ['customer-overview', customerId] });
      void queryClient.invalidateQueries({ queryKey: ['contact', closed.contactId] });
    },
  });

  if (save.data) return <Closed contact={save.data} customerId={customerId} />;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <Form
        header={<Header variant="h1" description={t('description')}>{title}</Header>}
        actions={<Button variant="primary" loading={save.isPending}>{t('save')}</Button>}
        errorText={save.error ? <ProblemAlert error={save.error} /> : undefined}
      >
        <SpaceBetween size="l">
          <Container>
            <Box variant="awsui-key-label">{t('customer')}</Box>
            {customerId ? (customer.data ? (customerName(customer.data) ?? customer.data.phone ?? customerId) : <StatusIndicator type="loading">{t('loading')}</StatusIndicator>) : t('noCustomer')}
          </Container>
          <Container>
            <SpaceBetween size="m">
              <ColumnLayout columns={2}>
                <FormField label={t('channel')} errorText={fieldError(save.error, '$.channel')}>
                  <RadioGroup value={channel} onChange={(event) => setChannel(event.detail.value as Channel)} items={channels.map((value) => ({ value, label: v(`channel.${value}`) }))} />
                </FormField>
                <SpaceBetween size="m">
                  <FormField label={t('direction')} errorText={fieldError(save.error, '$.direction')}>
                    <RadioGroup value={direction} onChange={(event) => setDirection(event.detail.value as Direction)} items={directions.map((value) => ({ value, label: v(`direction.${value}`) }))} />
                  </FormField>
                  <FormField label={t('queue')} description={t('queueHint')} errorText={fieldError(save.error, '$.queue')}>
                    <Input value={queue} onChange={(event) => setQueue(event.detail.value)} />
                  </FormField>
                </SpaceBetween>
              </ColumnLayout>
              <FormField
                label={t('reasonCode')}
                description={reasonOptions.length > 0 || settings.isPending ? t('reasonCodeHint') : t('noReasonCodes')}
                errorText={fieldError(save.error, '$.reasonCode')}
              >
                <Select
                  selectedOption={reasonOptions.find((option) => option.value === reasonCode) ?? null}
                  onChange={(event) => setReasonCode(event.detail.selectedOption.value ?? '')}
                  options={reasonOptions}
                  placeholder={t('reasonPlaceholder')}
                  filteringType="auto"
                  statusType={settings.isPending ? 'loading' : settings.error ? 'error' : 'finished'}
                  loadingText={t('loading')}
                />
              </FormField>
              <ColumnLayout columns={2}>
                <FormField label={t('outcome')} errorText={fieldError(save.error, '$.outcome')}>
                  <RadioGroup value={outcome} onChange={(event) => setOutcome(event.detail.value as Outcome)} items={outcomes.map((value) => ({ value, label: v(`outcome.${value}`) }))} />
                </FormField>
                <FormField label={t('fcr')} description={t('fcrHint')} errorText={fieldError(save.error, '$.firstContactResolution')}>
                  <Checkbox checked={fcr} onChange={(event) => setFcr(event.detail.checked)}>
                    {t('fcr')}
                  </Checkbox>
                </FormField>
              </ColumnLayout>
              <FormField label={t('notes')} description={t('notesHint')} errorText={fieldError(save.error, '$.notes')} stretch>
                <Textarea value={notes} onChange={(event) => setNotes(event.detail.value)} rows={3} />
              </FormField>
              <FormField label={t('referral')} description={t('referralHint')}>
                <Checkbox checked={refer} onChange={(event) => setRefer(event.detail.checked)}>
                  {t('referral')}
                </Checkbox>
              </FormField>
              {refer && (
                <FormField label={t('product')} errorText={fieldError(save.error, '$.product')}>
                  <Input value={product} onChange={(event) => setProduct(event.detail.value)} />
                </FormField>
              )}
            </SpaceBetween>
          </Container>
        </SpaceBetween>
      </Form>
    </form>
  );
}

const finishedSurveyStates = new Set(['completed', 'expired', 'not_sent']);

/** After closing: the contact saved, and the survey the rules decided for it, followed until it is answered. */
function Closed({ contact, customerId }: { contact: Contact; customerId?: string }) {
  const t = useMessages(contactLogMessages);
  const v = useMessages(contactVocabulary);
  const api = useApi();
  const format = useFormat();
  const { navigate } = useRouter();
  const survey = useQuery({
    queryKey: ['contact-survey', contact.contactId],
    queryFn: () => answer(api.GET('/v1/surveys', { params: { query: { contactId: contact.contactId, limit: 1 } } })),
    refetchInterval: (query) => {
      const found = query.state.data?.items[0];
      return found && finishedSurveyStates.has(found.status) ? false : 3_000;
    },
  });
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => answer(api.GET('/v1/settings')) });
  // Turned off, the rules decide nothing for a contact: nothing will ever come to wait for.
  const surveysOff = settings.data?.surveys.enabled === false;
  const decided = survey.data?.items[0];
  // Answers are kept by question id, which each template names as it likes: its version says which is the CSAT, NPS and CES.
  const completed = decided?.status === 'completed' && decided.templateId !== undefined && decided.templateVersion !== undefined ? decided : undefined;
  const template = useQuery({
    queryKey: ['survey-template', completed?.templateId, completed?.templateVersion],
    queryFn: () =>
      answer(api.GET('/v1/survey-templates/{templateId}', { params: { path: { templateId: completed!.templateId! }, query: { version: completed!.templateVersion! } } })),
    enabled: completed !== undefined,
    staleTime: Infinity,
  });
  const scores = completed && template.data ? surveyScores(template.data, completed.answers) : undefined;
  const score = (value: unknown) => (typeof value === 'number' ? format.number(value) : '—');
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            {customerId && <Button onClick={() => navigate(`/desk/customers/${customerId}`)}>{t('openCustomer')}</Button>}
            <Button onClick={() => navigate(`/desk/contacts/new${customerId ? `?customerId=${encodeURIComponent(customerId)}` : ''}`)}>{t('another')}</Button>
          </SpaceBetween>
        }
      >
        {t('title')}
      </Header>
      <Alert type="success">
        {t('saved')} {contact.outcome ? v(`outcome.${contact.outcome}`) : ''}
        {contact.reasonCode ? ` · ${contact.reasonCode}` : ''}
      </Alert>
      <Container header={<Header variant="h2">{t('survey')}</Header>}>
        {survey.error ? (
          <ProblemAlert error={survey.error} />
        ) : surveysOff && !decided ? (
          <StatusIndicator type="stopped">{t('surveysOff')}</StatusIndicator>
        ) : !decided ? (
          <StatusIndicator type="loading">{t('surveyDeciding')}</StatusIndicator>
        ) : (
          <SpaceBetween size="xs">
            <StatusIndicator type={decided.status === 'completed' ? 'success' : decided.status === 'not_sent' || decided.status === 'expired' ? 'stopped' : 'in-progress'}>
              {t(`survey.${decided.status}`, { reason: t(`reason.${decided.notSentReason ?? 'unknown'}`) })}
            </StatusIndicator>
            {decided.status === 'completed' &&
              (template.error ? (
                <ProblemAlert error={template.error} />
              ) : scores ? (
                <Box>{t('scores', { csat: score(scores.csat), nps: score(scores.nps), ces: score(scores.ces) })}</Box>
              ) : (
                <Spinner />
              ))}
          </SpaceBetween>
        )}
      </Container>
    </SpaceBetween>
  );
}
