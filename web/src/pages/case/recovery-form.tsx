import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { type ReactNode, useState } from 'react';
import { useNotify } from '../../app/notifications';
import { ProblemAlert, fieldError } from '../../components/problem';
import { type CaseTranslate, type CaseView, TextArea, useCaseEvent } from './case-event';

const compensationTypes = ['refund', 'credit', 'voucher', 'replacement', 'goodwill', 'other'] as const;
type CompensationType = (typeof compensationTypes)[number];

/** The guided service recovery of a complaint: apology, remedy, compensation, follow-up — each posted as one step. */
export function RecoveryForm({ c, t }: { c: CaseView; t: CaseTranslate }) {
  const notify = useNotify();
  const record = c.serviceRecovery ?? {};
  const step = useCaseEvent(c.caseId);
  const [apology, setApology] = useState(false);
  const [remedy, setRemedy] = useState(record.remedy ?? '');
  const [compensationType, setCompensationType] = useState<CompensationType>(record.compensation?.type ?? 'refund');
  const [amount, setAmount] = useState(record.compensation ? String(record.compensation.amount) : '');
  const [currency, setCurrency] = useState(record.compensation?.currency ?? 'TWD');
  const [satisfied, setSatisfied] = useState<'yes' | 'no' | ''>('');
  const recorded = { onSuccess: () => notify({ type: 'success' as const, content: t('stepRecorded') }) };
  const pending = (name: string) => step.isPending && step.variables?.type === 'service_recovery' && step.variables.step === name;
  const stepError = (name: string) => (step.variables?.type === 'service_recovery' && step.variables.step === name ? step.error : null);

  return (
    <Container header={<Header variant="h2" description={t('recoveryDescription')}>{t('recovery')}</Header>}>
      <ColumnLayout columns={2} variant="text-grid">
        <Step title={t('step.apology')} done={record.apologyGiven === true} t={t}>
          {stepError('apology') && <ProblemAlert error={stepError('apology')} />}
          <Checkbox checked={apology || record.apologyGiven === true} disabled={record.apologyGiven === true} onChange={(event) => setApology(event.detail.checked)}>
            {t('apologyGiven')}
          </Checkbox>
          <Button disabled={!apology || record.apologyGiven === true} loading={pending('apology')} onClick={() => step.mutate({ type: 'service_recovery', step: 'apology' }, recorded)}>
            {t('apologySave')}
          </Button>
        </Step>
        <Step title={t('step.remedy')} done={record.remedy !== undefined} t={t}>
          {stepError('remedy') && <ProblemAlert error={stepError('remedy')} />}
          <FormField label={t('remedyText')} errorText={fieldError(stepError('remedy'), '$.remedy')}>
            <TextArea value={remedy} onChange={setRemedy} label={t('remedyText')} />
          </FormField>
          <Button disabled={remedy.trim() === ''} loading={pending('remedy')} onClick={() => step.mutate({ type: 'service_recovery', step: 'remedy', remedy }, recorded)}>
            {t('remedySave')}
          </Button>
        </Step>
        <Step title={t('step.compensation')} done={record.compensation !== undefined} t={t}>
          {stepError('compensation') && <ProblemAlert error={stepError('compensation')} />}
          <FormField label={t('compensationType')} errorText={fieldError(stepError('compensation'), '$.compensation.type')}>
            <Select
              selectedOption={{ value: compensationType, label: t(`compensation.${compensationType}`) }}
              options={compensationTypes.map((type) => ({ value: type, label: t(`compensation.${type}`) }))}
              onChange={(event) => setCompensationType(event.detail.selectedOption.value as CompensationType)}
            />
          </FormField>
          <ColumnLayout columns={2}>
            <FormField label={t('amount')} errorText={fieldError(stepError('compensation'), '$.compensation.amount')}>
              <Input type="number" inputMode="decimal" value={amount} onChange={(event) => setAmount(event.detail.value)} />
            </FormField>
            <FormField label={t('currency')} description={t('currencyHint')} errorText={fieldError(stepError('compensation'), '$.compensation.currency')}>
              <Input value={currency} onChange={(event) => setCurrency(event.detail.value.toUpperCase())} />
            </FormField>
          </ColumnLayout>
          <Button
            disabled={amount.trim() === ''}
            loading={pending('compensation')}
            onClick={() => step.mutate({ type: 'service_recovery', step: 'compensation', compensation: { type: compensationType, amount: Number(amount), currency } }, recorded)}
          >
            {t('compensationSave')}
          </Button>
        </Step>
        <Step title={t('step.follow_up')} done={record.followUp !== undefined} t={t}>
          {stepError('follow_up') && <ProblemAlert error={stepError('follow_up')} />}
          <FormField label={t('followUpQuestion')} errorText={fieldError(stepError('follow_up'), '$.customerSatisfied')}>
            <RadioGroup
              ariaLabel={t('followUpQuestion')}
              value={satisfied || (record.followUp ? (record.followUp.customerSatisfied ? 'yes' : 'no') : null)}
              onChange={(event) => setSatisfied(event.detail.value as 'yes' | 'no')}
              items={[
                { value: 'yes', label: t('satisfiedYes') },
                { value: 'no', label: t('satisfiedNo') },
              ]}
            />
          </FormField>
          <Button
            disabled={satisfied === ''}
            loading={pending('follow_up')}
            onClick={() => step.mutate({ type: 'service_recovery', step: 'follow_up', customerSatisfied: satisfied === 'yes' }, recorded)}
          >
            {t('followUpSave')}
          </Button>
        </Step>
      </ColumnLayout>
    </Container>
  );
}

function Step({ title, done, t, children }: { title: string; done: boolean; t: CaseTranslate; children: ReactNode }) {
  return (
    <SpaceBetween size="s">
      <SpaceBetween direction="horizontal" size="xs" alignItems="center">
        <Box variant="h3" padding="n">{title}</Box>
        <StatusIndicator type={done ? 'success' : 'pending'}>{done ? t('stepDone') : t('stepToDo')}</StatusIndicator>
      </SpaceBetween>
      {children}
    </SpaceBetween>
  );
}
