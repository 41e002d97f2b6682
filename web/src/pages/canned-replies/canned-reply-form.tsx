import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { ProblemAlert, fieldError } from '../../components/problem';
import type { Translate } from '../../i18n/locale';
import type { cannedReplyMessages } from './messages';
import { cannedRepliesKey } from './queries';

type CannedReply = Schemas['CannedReply'];
type Keys = keyof typeof cannedReplyMessages.en;

/** Only the languages given: an empty field leaves that language out. */
function bilingual(en: string, zh: string) {
  return { ...(en.trim() && { en }), ...(zh.trim() && { 'zh-TW': zh }) };
}

/** Adds a canned reply, or changes one with the If-Match of the version shown. */
export function CannedReplyForm({ t, reply, onClose, onSaved }: { t: Translate<Keys>; reply?: CannedReply; onClose(): void; onSaved(): void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(reply?.title ?? '');
  const [textEn, setTextEn] = useState(reply?.texts.en ?? '');
  const [textZh, setTextZh] = useState(reply?.texts['zh-TW'] ?? '');
  const [subjectEn, setSubjectEn] = useState(reply?.subjects?.en ?? '');
  const [subjectZh, setSubjectZh] = useState(reply?.subjects?.['zh-TW'] ?? '');
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const save = useMutation({
    mutationFn: async () => {
      const texts = bilingual(textEn, textZh);
      const subjects = bilingual(subjectEn, subjectZh);
      const hasSubjects = Object.keys(subjects).length > 0;
      if (!reply) {
        return answer(
          api.POST('/v1/canned-replies', {
            params: { header: { 'Idempotency-Key': idempotencyKey } },
            body: { title, texts, ...(hasSubjects && { subjects }) },
          }),
        );
      }
      return answer(
        api.PATCH('/v1/canned-replies/{cannedReplyId}', {
          params: { path: { cannedReplyId: reply.cannedReplyId }, header: { 'If-Match': `"${reply.version}"` } },
          body: { title, texts, subjects: hasSubjects ? subjects : null },
        }),
      );
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: cannedRepliesKey });
      onSaved();
    },
  });

  return (
    <Modal visible size="large" header={reply ? t('edit') : t('create')} onDismiss={onClose}>
      <form onSubmit={(event) => { event.preventDefault(); save.mutate(); }}>
        <Form
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>{t('cancel')}</Button>
              <Button variant="primary" loading={save.isPending}>{reply ? t('save') : t('create')}</Button>
            </SpaceBetween>
          }
          errorText={save.error ? <ProblemAlert error={save.error} /> : undefined}
        >
          <SpaceBetween size="m">
            <FormField label={t('replyTitle')} description={t('titleHint')} errorText={fieldError(save.error, '$.title')}>
              <Input value={title} onChange={(event) => setTitle(event.detail.value)} autoFocus />
            </FormField>
            <FormField label={t('textZh')} description={t('textHint')} errorText={fieldError(save.error, "$.texts['zh-TW']") ?? fieldError(save.error, '$.texts')}>
              <Textarea value={textZh} rows={4} onChange={(event) => setTextZh(event.detail.value)} />
            </FormField>
            <FormField label={t('textEn')} description={t('textHint')} errorText={fieldError(save.error, '$.texts.en')}>
              <Textarea value={textEn} rows={4} onChange={(event) => setTextEn(event.detail.value)} />
            </FormField>
            <FormField label={t('subjectZh')} description={t('subjectHint')} errorText={fieldError(save.error, "$.subjects['zh-TW']")}>
              <Input value={subjectZh} onChange={(event) => setSubjectZh(event.detail.value)} />
            </FormField>
            <FormField label={t('subjectEn')} description={t('subjectHint')} errorText={fieldError(save.error, '$.subjects.en')}>
              <Input value={subjectEn} onChange={(event) => setSubjectEn(event.detail.value)} />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
