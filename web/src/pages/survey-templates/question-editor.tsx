import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import Textarea from '@cloudscape-design/components/textarea';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { fieldError } from '../../components/problem';
import { useMessages } from '../../i18n/locale';
import { type DraftCondition, type DraftQuestion, type LocalText, type Operator, type QuestionType, dimensions, fieldPath, questionTypes, scaleOf } from './draft';
import { templateMessages } from './messages';

type Change = (question: DraftQuestion) => void;

export interface QuestionEditorProps {
  question: DraftQuestion;
  index: number;
  count: number;
  /** The questions before this one: the only ones a follow-up may depend on. */
  earlier: readonly DraftQuestion[];
  error: unknown;
  readOnly: boolean;
  onChange: Change;
  onMove(offset: -1 | 1): void;
  onRemove(): void;
}

/** A text in both languages side by side, each with the API's message beside it. */
export function BilingualText({
  label,
  description,
  value,
  path,
  error,
  readOnly,
  multiline = false,
  onChange,
}: {
  label: string;
  description?: string;
  multiline?: boolean;
  value: LocalText;
  path: string;
  error: unknown;
  readOnly: boolean;
  onChange(value: LocalText): void;
}) {
  const t = useMessages(templateMessages);
  return (
    <ColumnLayout columns={2}>
      <FormField label={t('inEnglish', { field: label })} description={description} errorText={fieldError(error, `${path}.en`) ?? fieldError(error, path)}>
        {multiline ? (
          <Textarea rows={3} value={value.en} readOnly={readOnly} onChange={(event) => onChange({ ...value, en: event.detail.value })} />
        ) : (
          <Input value={value.en} readOnly={readOnly} onChange={(event) => onChange({ ...value, en: event.detail.value })} />
        )}
      </FormField>
      <FormField label={t('inChinese', { field: label })} description={description} errorText={fieldError(error, `${path}.zh-TW`)}>
        {multiline ? (
          <Textarea rows={3} value={value['zh-TW']} readOnly={readOnly} onChange={(event) => onChange({ ...value, 'zh-TW': event.detail.value })} />
        ) : (
          <Input value={value['zh-TW']} readOnly={readOnly} onChange={(event) => onChange({ ...value, 'zh-TW': event.detail.value })} />
        )}
      </FormField>
    </ColumnLayout>
  );
}

export function QuestionEditor({ question, index, count, earlier, error, readOnly, onChange, onMove, onRemove }: QuestionEditorProps) {
  const t = useMessages(templateMessages);
  const at = (...rest: (string | number)[]) => fieldPath('questions', index, ...rest);
  const number = index + 1;
  const scale = scaleOf(question.type);
  const typeOption = (type: QuestionType) => ({ value: type, label: t(`type.${type}`) });
  const dimensionOption = (dimension: (typeof dimensions)[number]) => ({ value: dimension, label: t(`dimension.${dimension}`) });
  const set = (patch: Partial<DraftQuestion>) => onChange({ ...question, ...patch });

  return (
    <Container
      data-testid={`question-${index}`}
      header={
        <Header
          variant="h3"
          actions={
            readOnly ? undefined : (
              <SpaceBetween size="xs" direction="horizontal">
                <Button iconName="arrow-up" disabled={index === 0} ariaLabel={t('moveUpLabel', { number })} onClick={() => onMove(-1)}>
                  {t('moveUp')}
                </Button>
                <Button iconName="arrow-down" disabled={index === count - 1} ariaLabel={t('moveDownLabel', { number })} onClick={() => onMove(1)}>
                  {t('moveDown')}
                </Button>
                <Button iconName="remove" ariaLabel={t('removeLabel', { number })} onClick={onRemove}>
                  {t('remove')}
                </Button>
              </SpaceBetween>
            )
          }
        >
          {t('questionHeader', { number, type: t(`type.${question.type}`) })}
        </Header>
      }
    >
      <SpaceBetween size="m">
        <ColumnLayout columns={3}>
          <FormField label={t('questionId')} description={t('questionIdHint')} errorText={fieldError(error, at('questionId'))}>
            <Input value={question.questionId} readOnly={readOnly} onChange={(event) => set({ questionId: event.detail.value })} />
          </FormField>
          <FormField label={t('questionType')} errorText={fieldError(error, at('type'))}>
            <Select
              selectedOption={typeOption(question.type)}
              options={questionTypes.map(typeOption)}
              disabled={readOnly}
              onChange={(event) => set({ type: event.detail.selectedOption.value as QuestionType })}
            />
          </FormField>
          {question.type === 'dimension' ? (
            <FormField label={t('dimension')} errorText={fieldError(error, at('dimension'))}>
              <Select
                selectedOption={dimensionOption(question.dimension)}
                options={dimensions.map(dimensionOption)}
                disabled={readOnly}
                onChange={(event) => set({ dimension: event.detail.selectedOption.value as DraftQuestion['dimension'] })}
              />
            </FormField>
          ) : question.type === 'freeText' ? (
            <FormField label={t('maxLength')} errorText={fieldError(error, at('maxLength'))}>
              <Input
                type="number"
                inputMode="numeric"
                value={String(question.maxLength)}
                readOnly={readOnly}
                onChange={(event) => set({ maxLength: Number(event.detail.value) })}
              />
            </FormField>
          ) : (
            <div />
          )}
        </ColumnLayout>
        <BilingualText label={t('questionText')} value={question.text} path={at('text')} error={error} readOnly={readOnly} onChange={(text) => set({ text })} />
        <FormField description={t('requiredHint')} errorText={fieldError(error, at('required'))}>
          <Checkbox checked={question.required} disabled={readOnly} onChange={(event) => set({ required: event.detail.checked })}>
            {t('required')}
          </Checkbox>
        </FormField>
        {scale ? (
          <SpaceBetween size="s">
            <Checkbox checked={question.hasScaleLabels} disabled={readOnly} onChange={(event) => set({ hasScaleLabels: event.detail.checked })}>
              {t('scaleLabelsToggle')}
            </Checkbox>
            {question.hasScaleLabels ? (
              <>
                <BilingualText
                  label={t('scaleMin', { value: scale.min })}
                  value={question.scaleLabels.min}
                  path={at('scaleLabels', 'min')}
                  error={error}
                  readOnly={readOnly}
                  onChange={(min) => set({ scaleLabels: { ...question.scaleLabels, min } })}
                />
                <BilingualText
                  label={t('scaleMax', { value: scale.max })}
                  value={question.scaleLabels.max}
                  path={at('scaleLabels', 'max')}
                  error={error}
                  readOnly={readOnly}
                  onChange={(max) => set({ scaleLabels: { ...question.scaleLabels, max } })}
                />
              </>
            ) : null}
          </SpaceBetween>
        ) : null}
        <ConditionEditor question={question} earlier={earlier} error={error} path={at('showIf')} readOnly={readOnly} onChange={(showIf) => set({ showIf })} />
      </SpaceBetween>
    </Container>
  );
}

/** A condition may name an earlier rating (compared with a value) or yes/no question (equal to yes or no). */
function ConditionEditor({
  question,
  earlier,
  error,
  path,
  readOnly,
  onChange,
}: {
  question: DraftQuestion;
  earlier: readonly DraftQuestion[];
  error: unknown;
  path: string;
  readOnly: boolean;
  onChange(showIf: DraftCondition | null): void;
}) {
  const t = useMessages(templateMessages);
  const candidates = earlier.filter((candidate) => scaleOf(candidate.type) || candidate.type === 'resolved');
  const showIf = question.showIf;
  const conditionFor = (questionId: string, previous?: DraftCondition | null): DraftCondition => {
    const target = earlier.find((candidate) => candidate.questionId === questionId);
    const scale = target ? scaleOf(target.type) : undefined;
    if (target?.type === 'resolved') return { kind: 'yesNo', questionId, equals: previous?.kind === 'yesNo' ? previous.equals : false };
    const value = previous?.kind === 'rating' ? previous.value : scale ? Math.floor((scale.min + scale.max) / 2) : 3;
    return { kind: 'rating', questionId, operator: previous?.kind === 'rating' ? previous.operator : 'lte', value };
  };
  const questionOption = (questionId: string) => {
    const target = earlier.find((candidate) => candidate.questionId === questionId);
    return { value: questionId, label: target ? `${questionId} · ${t(`type.${target.type}`)}` : questionId };
  };
  const operatorOption = (operator: Operator) => ({ value: operator, label: t(`operator.${operator}`) });
  const answerOption = (equals: boolean) => ({ value: equals ? 'yes' : 'no', label: equals ? t('yes') : t('no') });
  const generalError = fieldError(error, path);

  return (
    <SpaceBetween size="s">
      <FormField
        errorText={generalError}
        description={!showIf && candidates.length === 0 ? t('noEarlierQuestion') : undefined}
      >
        <Checkbox
          checked={!!showIf}
          disabled={readOnly || (!showIf && candidates.length === 0)}
          onChange={(event) => onChange(event.detail.checked && candidates[0] ? conditionFor(candidates[0].questionId) : null)}
        >
          {t('conditionToggle')}
        </Checkbox>
      </FormField>
      {showIf ? (
        <ColumnLayout columns={3}>
          <FormField label={t('conditionQuestion')} errorText={fieldError(error, `${path}.questionId`)}>
            <Select
              selectedOption={questionOption(showIf.questionId)}
              options={candidates.map((candidate) => questionOption(candidate.questionId))}
              disabled={readOnly}
              onChange={(event) => onChange(conditionFor(event.detail.selectedOption.value!, showIf))}
            />
          </FormField>
          {showIf.kind === 'rating' ? (
            <>
              <FormField label={t('conditionOperator')} errorText={fieldError(error, `${path}.operator`)}>
                <Select
                  selectedOption={operatorOption(showIf.operator)}
                  options={(['lte', 'gte', 'eq'] as const).map(operatorOption)}
                  disabled={readOnly}
                  onChange={(event) => onChange({ ...showIf, operator: event.detail.selectedOption.value as Operator })}
                />
              </FormField>
              <FormField label={t('conditionValue')} errorText={fieldError(error, `${path}.value`)}>
                <Input
                  type="number"
                  inputMode="numeric"
                  value={String(showIf.value)}
                  readOnly={readOnly}
                  onChange={(event) => onChange({ ...showIf, value: Number(event.detail.value) })}
                />
              </FormField>
            </>
          ) : (
            <FormField label={t('conditionEquals')} errorText={fieldError(error, `${path}.equals`)}>
              <Select
                selectedOption={answerOption(showIf.equals)}
                options={[answerOption(true), answerOption(false)]}
                disabled={readOnly}
                onChange={(event) => onChange({ ...showIf, equals: event.detail.selectedOption.value === 'yes' })}
              />
            </FormField>
          )}
        </ColumnLayout>
      ) : null}
    </SpaceBetween>
  );
}
