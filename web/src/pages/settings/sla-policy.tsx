import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { fieldError } from '../../components/problem';
import { useMessages } from '../../i18n/locale';
import { settingsMessages } from './messages';
import { useSection } from './section';
import { numberOrAsTyped } from './values';
import type { Settings } from './use-settings';

type SlaPolicy = Settings['slaPolicy'];
const caseTypes = ['complaint', 'request', 'inquiry'] as const;
const severities = ['low', 'medium', 'high', 'critical'] as const;
const kinds = ['firstResponse', 'resolution'] as const;
const units = ['minutes', 'hours', 'days', 'businessHours', 'businessDays'] as const;
type CaseType = (typeof caseTypes)[number];
type Severity = (typeof severities)[number];
type Kind = (typeof kinds)[number];
type Unit = (typeof units)[number];

/** Amounts as typed, so that what the API refuses is shown beside the field as it was entered. */
type Duration = { amount: string; unit: Unit };
type TargetsDraft = Record<CaseType, Record<Severity, Record<Kind, Duration>>>;
interface SlaDraft {
  targets: TargetsDraft;
  escalation: Record<Kind, { raiseSeverity: boolean; assignTo: string }>;
}

interface Row {
  type: CaseType;
  severity: Severity;
}
const rows: Row[] = caseTypes.flatMap((type) => severities.map((severity) => ({ type, severity })));

const draftOf = (policy: SlaPolicy): SlaDraft => ({
  targets: Object.fromEntries(
    caseTypes.map((type) => [
      type,
      Object.fromEntries(
        severities.map((severity) => [
          severity,
          Object.fromEntries(kinds.map((kind) => [kind, { amount: String(policy.targets[type][severity][kind].amount), unit: policy.targets[type][severity][kind].unit }])),
        ]),
      ),
    ]),
  ) as TargetsDraft,
  escalation: {
    firstResponse: { raiseSeverity: policy.escalation.firstResponse.raiseSeverity, assignTo: policy.escalation.firstResponse.assignTo ?? '' },
    resolution: { raiseSeverity: policy.escalation.resolution.raiseSeverity, assignTo: policy.escalation.resolution.assignTo ?? '' },
  },
});

const patchOf = (draft: SlaDraft) => ({
  slaPolicy: {
    targets: Object.fromEntries(
      caseTypes.map((type) => [
        type,
        Object.fromEntries(
          severities.map((severity) => [
            severity,
            Object.fromEntries(kinds.map((kind) => [kind, { amount: numberOrAsTyped(draft.targets[type][severity][kind].amount), unit: draft.targets[type][severity][kind].unit }])),
          ]),
        ),
      ]),
    ) as SlaPolicy['targets'],
    escalation: {
      firstResponse: { raiseSeverity: draft.escalation.firstResponse.raiseSeverity, assignTo: draft.escalation.firstResponse.assignTo.trim() || null },
      resolution: { raiseSeverity: draft.escalation.resolution.raiseSeverity, assignTo: draft.escalation.resolution.assignTo.trim() || null },
    },
  },
});

export function SlaPolicySection({ settings }: { settings: Settings }) {
  const t = useMessages(settingsMessages);
  const section = useSection<SlaDraft>({
    id: 'sla',
    settings,
    header: t('slaTitle'),
    description: t('slaDescription'),
    fromSettings: (current) => draftOf(current.slaPolicy),
    toPatch: patchOf,
  });
  const { value, change, error, canEdit } = section;
  const unitOptions = units.map((unit) => ({ value: unit, label: t(`unit.${unit}`) }));

  const setDuration = (row: Row, kind: Kind, next: Partial<Duration>) => {
    const targets = structuredClone(value.targets);
    targets[row.type][row.severity][kind] = { ...targets[row.type][row.severity][kind], ...next };
    change({ ...value, targets });
  };

  const durationCell = (row: Row, kind: Kind) => {
    const duration = value.targets[row.type][row.severity][kind];
    const path = `$.slaPolicy.targets.${row.type}.${row.severity}.${kind}`;
    const what = t('durationOf', { kind: t(`kind.${kind}`), type: t(`caseType.${row.type}`), severity: t(`severity.${row.severity}`) });
    return (
      <FormField errorText={fieldError(error, `${path}.amount`) ?? fieldError(error, path, true)}>
        <SpaceBetween direction="horizontal" size="xs">
          <div style={{ width: '5rem' }}>
            <Input
              value={duration.amount}
              inputMode="numeric"
              readOnly={!canEdit}
              ariaLabel={t('amountOf', { what })}
              onChange={(event) => setDuration(row, kind, { amount: event.detail.value })}
            />
          </div>
          <Select
            selectedOption={unitOptions.find((option) => option.value === duration.unit)!}
            options={unitOptions}
            disabled={!canEdit}
            ariaLabel={t('unitOf', { what })}
            onChange={(event) => setDuration(row, kind, { unit: event.detail.selectedOption.value as Unit })}
          />
        </SpaceBetween>
      </FormField>
    );
  };

  return section.frame(
    <SpaceBetween size="l">
      <Table<Row>
        variant="embedded"
        items={rows}
        trackBy={(row) => `${row.type}.${row.severity}`}
        ariaLabels={{ tableLabel: t('slaTitle') }}
        columnDefinitions={[
          { id: 'type', header: t('caseTypeHeader'), cell: (row) => t(`caseType.${row.type}`) },
          { id: 'severity', header: t('severityHeader'), cell: (row) => t(`severity.${row.severity}`) },
          { id: 'firstResponse', header: t('kind.firstResponse'), cell: (row) => durationCell(row, 'firstResponse') },
          { id: 'resolution', header: t('kind.resolution'), cell: (row) => durationCell(row, 'resolution') },
        ]}
      />
      <Header variant="h3" description={t('escalationDescription')}>
        {t('escalationTitle')}
      </Header>
      <ColumnLayout columns={2}>
        {kinds.map((kind) => {
          const rule = value.escalation[kind];
          const setRule = (next: Partial<typeof rule>) => change({ ...value, escalation: { ...value.escalation, [kind]: { ...rule, ...next } } });
          return (
            <SpaceBetween key={kind} size="s">
              <Header variant="h3" headingTagOverride="h4">
                {t(`missed.${kind}`)}
              </Header>
              <Checkbox checked={rule.raiseSeverity} disabled={!canEdit} onChange={(event) => setRule({ raiseSeverity: event.detail.checked })}>
                {t('raiseSeverity')}
              </Checkbox>
              <FormField
                label={t('assignTo')}
                description={t('assignToDescription')}
                errorText={fieldError(error, `$.slaPolicy.escalation.${kind}.assignTo`)}
              >
                <Input value={rule.assignTo} readOnly={!canEdit} placeholder="queue:complaints" onChange={(event) => setRule({ assignTo: event.detail.value })} />
              </FormField>
            </SpaceBetween>
          );
        })}
      </ColumnLayout>
    </SpaceBetween>,
  );
}
