import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { useRouter } from '../../app/router';
import { ProblemAlert, fieldError } from '../../components/problem';
import { useMessages } from '../../i18n/locale';
import { customerMessages } from './messages';

type CaseType = Schemas['CreateCase']['type'];
type Severity = NonNullable<Schemas['CreateCase']['severity']>;
const caseTypes: readonly CaseType[] = ['complaint', 'request', 'inquiry'];
const severities: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/**
 * Opens a case for the customer shown: a complaint, request or inquiry, linked to the contact of a
 * screen pop when there is one, and taken by the person opening it unless they say otherwise.
 * Its deadlines come from the business's SLA policy; the case page opens once it exists.
 */
export function OpenCaseModal({ customerId, contactId, onClose }: { customerId: string; contactId?: string; onClose: () => void }) {
  const t = useMessages(customerMessages);
  const api = useApi();
  const me = useMe();
  const queryClient = useQueryClient();
  const { navigate } = useRouter();
  const agentId = me.data?.principal.kind === 'person' ? me.data.principal.agentId : undefined;
  const [type, setType] = useState<CaseType>('complaint');
  const [severity, setSeverity] = useState<Severity>('medium');
  const [category, setCategory] = useState('');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [takeIt, setTakeIt] = useState(agentId !== undefined);
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const open = useMutation({
    mutationFn: () =>
      answer(
        api.POST('/v1/cases', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: {
            type,
            severity,
            category,
            subject,
            customerId,
            ...(description.trim() && { description }),
            ...(contactId && { contactIds: [contactId] }),
            ...(takeIt && agentId && { assignee: agentId }),
          },
        }),
      ),
    onSuccess: (opened) => {
      void queryClient.invalidateQueries({ queryKey: ['customer-overview', customerId] });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      navigate(`/desk/cases/${encodeURIComponent(opened.caseId)}`);
    },
  });
  const option = <Value extends string>(value: Value, label: string) => ({ value, label });

  return (
    <Modal visible onDismiss={onClose} header={t('openCase.title')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          open.mutate();
        }}
      >
        <Form
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>
                {t('openCase.cancel')}
              </Button>
              <Button variant="primary" loading={open.isPending}>
                {t('openCase.submit')}
              </Button>
            </SpaceBetween>
          }
        >
          <SpaceBetween size="m">
            {open.error ? <ProblemAlert error={open.error} /> : null}
            <FormField label={t('openCase.type')} errorText={fieldError(open.error, '$.type')}>
              <Select
                selectedOption={option(type, t(`openCase.type.${type}`))}
                options={caseTypes.map((value) => option(value, t(`openCase.type.${value}`)))}
                onChange={({ detail }) => setType(detail.selectedOption.value as CaseType)}
              />
            </FormField>
            <FormField label={t('openCase.severity')} errorText={fieldError(open.error, '$.severity')}>
              <Select
                selectedOption={option(severity, t(`openCase.severity.${severity}`))}
                options={severities.map((value) => option(value, t(`openCase.severity.${value}`)))}
                onChange={({ detail }) => setSeverity(detail.selectedOption.value as Severity)}
              />
            </FormField>
            <FormField label={t('openCase.category')} description={t('openCase.categoryHint')} errorText={fieldError(open.error, '$.category')}>
              <Input value={category} onChange={({ detail }) => setCategory(detail.value)} />
            </FormField>
            <FormField label={t('openCase.subject')} errorText={fieldError(open.error, '$.subject')}>
              <Input value={subject} onChange={({ detail }) => setSubject(detail.value)} />
            </FormField>
            <FormField label={t('openCase.description')} errorText={fieldError(open.error, '$.description')}>
              <Textarea value={description} onChange={({ detail }) => setDescription(detail.value)} />
            </FormField>
            {agentId && (
              <Checkbox checked={takeIt} onChange={({ detail }) => setTakeIt(detail.checked)}>
                {t('openCase.takeIt')}
              </Checkbox>
            )}
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
