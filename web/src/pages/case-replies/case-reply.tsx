import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Textarea from '@cloudscape-design/components/textarea';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type ReplyLocale, cannedSubject, cannedText, renderReply } from '../../../../shared/domain/canned-replies';
import { countSegments } from '../../../../shared/domain/sms/segments';
import { useApi, useMe } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { useNotify } from '../../app/notifications';
import { ProblemAlert, fieldError } from '../../components/problem';
import { useFormat, useMessages } from '../../i18n/locale';
import { cannedRepliesKey } from '../canned-replies/queries';
import { caseReplyMessages } from './messages';

type CannedReply = Schemas['CannedReply'];
type Channel = 'sms' | 'email';

/**
 * The panel to write to a case's customer by SMS or e-mail, with the team's canned replies, on the
 * case page (web/src/pages/case/page.tsx). A canned reply fills the text with
 * its variables resolved as the service resolves them (shared/domain/canned-replies.ts); the SMS
 * shows its characters, segments and encoding as the service will bill them.
 */
export function CaseReply({ caseId, customerId }: { caseId: string; customerId: string }) {
  const t = useMessages(caseReplyMessages);
  const format = useFormat();
  const api = useApi();
  const me = useMe();
  const notify = useNotify();
  const queryClient = useQueryClient();

  const kase = useQuery({ queryKey: ['case', caseId], queryFn: () => answer(api.GET('/v1/cases/{caseId}', { params: { path: { caseId } } })) });
  const customer = useQuery({ queryKey: ['customer', customerId], queryFn: () => answer(api.GET('/v1/customers/{customerId}', { params: { path: { customerId } } })) });
  // Read when the agent goes to the picker, not with the case: most replies are written, not picked.
  const [cannedWanted, setCannedWanted] = useState(false);
  const canned = useQuery({
    queryKey: [...cannedRepliesKey, 'list', 'all'],
    queryFn: () => answer(api.GET('/v1/canned-replies', { params: { query: { limit: 100 } } })),
    enabled: cannedWanted,
  });

  const [channel, setChannel] = useState<Channel>('sms');
  const [language, setLanguage] = useState<ReplyLocale | undefined>();
  const [chosen, setChosen] = useState<CannedReply | undefined>();
  const [text, setText] = useState('');
  const [subject, setSubject] = useState('');
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());

  const locale: ReplyLocale = language ?? customer.data?.language ?? (me.data?.tenant.locale === 'en' ? 'en' : 'zh-TW');
  const timezone = me.data?.tenant.timezone ?? 'Asia/Taipei';

  /** The text with its variables filled in; as it is when one is unknown (the service names it beside the field). */
  const resolve = (raw: string): string => {
    if (!kase.data || !customer.data) return raw;
    try {
      return renderReply(raw, { customer: customer.data, case: { caseId, dueAt: kase.data.sla.resolution.dueAt }, timezone, locale }, '$.text');
    } catch {
      return raw;
    }
  };

  const pick = (reply: CannedReply | undefined, inLanguage: ReplyLocale = locale) => {
    setChosen(reply);
    if (!reply) return;
    setText(resolve(cannedText(reply, inLanguage)));
    const replySubject = cannedSubject(reply, inLanguage);
    if (replySubject) setSubject(resolve(replySubject));
  };

  const send = useMutation({
    mutationFn: () =>
      answer(
        api.POST('/v1/cases/{caseId}/replies', {
          params: { path: { caseId }, header: { 'Idempotency-Key': idempotencyKey } },
          body: {
            channel,
            text,
            locale,
            ...(channel === 'email' && subject.trim() && { subject }),
            ...(chosen && { cannedReplyId: chosen.cannedReplyId }),
          },
        }),
      ),
    onSuccess: () => {
      notify({ type: 'success', content: t('sent') });
      setText('');
      setSubject('');
      setChosen(undefined);
      setIdempotencyKey(crypto.randomUUID());
      void queryClient.invalidateQueries({ queryKey: ['case', caseId] });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      void queryClient.invalidateQueries({ queryKey: ['customer-overview', customerId] });
    },
  });

  if (kase.isPending || customer.isPending) return <StatusIndicator type="loading">{t('loading')}</StatusIndicator>;
  if (kase.error || customer.error) return <ProblemAlert error={kase.error ?? customer.error} />;

  const count = countSegments(resolve(text));
  const missing = channel === 'sms' ? (!customer.data.phone ? t('noPhone') : undefined) : !customer.data.email ? t('noEmail') : undefined;
  const cannedOptions = (canned.data?.items ?? []).map((reply) => ({ value: reply.cannedReplyId, label: reply.title, description: cannedText(reply, locale) }));

  return (
    <Container header={<Header variant="h2" description={t('description')}>{t('title')}</Header>}>
      <form onSubmit={(event) => { event.preventDefault(); send.mutate(); }}>
        <Form
          actions={<Button variant="primary" loading={send.isPending} disabled={!!missing || text.trim() === ''}>{t('send')}</Button>}
          errorText={send.error ? <ProblemAlert error={send.error} /> : undefined}
        >
          <SpaceBetween size="m">
            <FormField label={t('channel')} errorText={fieldError(send.error, '$.channel')}>
              <SegmentedControl
                label={t('channel')}
                selectedId={channel}
                onChange={(event) => setChannel(event.detail.selectedId as Channel)}
                options={[
                  { id: 'sms', text: t('sms') },
                  { id: 'email', text: t('email') },
                ]}
              />
            </FormField>
            {missing && <Alert type="warning">{missing}</Alert>}
            <FormField label={t('language')} errorText={fieldError(send.error, '$.locale')}>
              <SegmentedControl
                label={t('language')}
                selectedId={locale}
                onChange={(event) => {
                  const next = event.detail.selectedId as ReplyLocale;
                  setLanguage(next);
                  if (chosen) pick(chosen, next);
                }}
                options={[
                  { id: 'zh-TW', text: t('language.zh-TW') },
                  { id: 'en', text: t('language.en') },
                ]}
              />
            </FormField>
            <FormField label={t('canned')} description={t('cannedHint')} errorText={fieldError(send.error, '$.cannedReplyId')}>
              <Select
                selectedOption={chosen ? { value: chosen.cannedReplyId, label: chosen.title } : null}
                onChange={(event) => pick(canned.data?.items.find((reply) => reply.cannedReplyId === event.detail.selectedOption.value))}
                options={cannedOptions}
                placeholder={t('cannedPlaceholder')}
                empty={t('cannedNone')}
                onFocus={() => setCannedWanted(true)}
                onLoadItems={() => setCannedWanted(true)}
                statusType={!cannedWanted ? 'pending' : canned.isPending ? 'loading' : canned.error ? 'error' : 'finished'}
                loadingText={t('cannedLoading')}
                errorText={canned.error ? String((canned.error as Error).message) : undefined}
                filteringType="auto"
              />
            </FormField>
            {channel === 'email' && (
              <FormField label={t('subject')} description={t('subjectHint', { caseSubject: kase.data.subject })} errorText={fieldError(send.error, '$.subject')}>
                <Input value={subject} onChange={(event) => setSubject(event.detail.value)} />
              </FormField>
            )}
            <FormField
              label={t('text')}
              description={t('textHint')}
              errorText={fieldError(send.error, '$.text')}
              constraintText={channel === 'sms' ? `${t('segments', { characters: format.number(count.characters), segments: format.number(count.segments), encoding: count.encoding })} ${t('segmentsHint')}` : undefined}
            >
              <Textarea value={text} rows={5} onChange={(event) => setText(event.detail.value)} />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </Container>
  );
}
