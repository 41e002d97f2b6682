import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { fieldError } from '../../components/problem';
import { useMessages } from '../../i18n/locale';
import { settingsMessages } from './messages';
import { useSection } from './section';
import type { Settings } from './use-settings';

/** One entry of the taxonomy as edited: a saved code cannot be renamed (contacts carry it), only relabelled or retired. */
interface ReasonRow {
  code: string;
  en: string;
  zhTw: string;
  active: boolean;
  added: boolean;
}

const rowsOf = (settings: Settings): ReasonRow[] =>
  settings.reasonCodes.map((entry) => ({ code: entry.code, en: entry.label.en ?? '', zhTw: entry.label['zh-TW'] ?? '', active: entry.active ?? true, added: false }));

const patchOf = (rows: ReasonRow[]) => ({
  reasonCodes: rows.map((row) => ({
    code: row.code,
    label: { ...(row.en.trim() && { en: row.en }), ...(row.zhTw.trim() && { 'zh-TW': row.zhTw }) },
    active: row.active,
  })),
});

export function ReasonCodesSection({ settings }: { settings: Settings }) {
  const t = useMessages(settingsMessages);
  const section = useSection<ReasonRow[]>({
    id: 'reasons',
    settings,
    header: t('reasonsTitle'),
    description: t('reasonsDescription'),
    fromSettings: rowsOf,
    toPatch: patchOf,
  });
  const { value, change, error, canEdit } = section;
  const set = (index: number, next: Partial<ReasonRow>) => change(value.map((row, at) => (at === index ? { ...row, ...next } : row)));
  const indexed = value.map((row, index) => ({ ...row, index }));

  return section.frame(
    <SpaceBetween size="m">
      <FormField errorText={fieldError(error, '$.reasonCodes')} stretch>
        <Table
          variant="embedded"
          items={indexed}
          trackBy={(row) => String(row.index)}
          ariaLabels={{ tableLabel: t('reasonsTitle') }}
          empty={<Box textAlign="center" color="inherit">{t('noReasons')}</Box>}
          columnDefinitions={[
            {
              id: 'code',
              header: t('reasonCode'),
              cell: (row) =>
                row.added ? (
                  <FormField errorText={fieldError(error, `$.reasonCodes[${row.index}].code`)}>
                    <Input value={row.code} placeholder="billing.refund" ariaLabel={t('reasonCodeOf', { n: row.index + 1 })} onChange={(event) => set(row.index, { code: event.detail.value })} />
                  </FormField>
                ) : (
                  <Box variant="code">{row.code}</Box>
                ),
            },
            {
              id: 'en',
              header: t('labelEn'),
              cell: (row) => (
                <FormField errorText={fieldError(error, `$.reasonCodes[${row.index}].label.en`) ?? fieldError(error, `$.reasonCodes[${row.index}].label`)}>
                  <Input value={row.en} readOnly={!canEdit} ariaLabel={t('labelEnOf', { code: row.code || String(row.index + 1) })} onChange={(event) => set(row.index, { en: event.detail.value })} />
                </FormField>
              ),
            },
            {
              id: 'zhTw',
              header: t('labelZhTw'),
              cell: (row) => (
                <FormField errorText={fieldError(error, `$.reasonCodes[${row.index}].label.zh-TW`)}>
                  <Input value={row.zhTw} readOnly={!canEdit} ariaLabel={t('labelZhTwOf', { code: row.code || String(row.index + 1) })} onChange={(event) => set(row.index, { zhTw: event.detail.value })} />
                </FormField>
              ),
            },
            {
              id: 'state',
              header: t('reasonState'),
              cell: (row) => (row.active ? <StatusIndicator type="success">{t('inUse')}</StatusIndicator> : <StatusIndicator type="stopped">{t('retired')}</StatusIndicator>),
            },
            ...(canEdit
              ? [
                  {
                    id: 'actions',
                    header: t('actions'),
                    cell: (row: ReasonRow & { index: number }) =>
                      row.added ? (
                        <Button formAction="none" variant="inline-link" ariaLabel={t('removeReason', { code: row.code || String(row.index + 1) })} onClick={() => change(value.filter((_, at) => at !== row.index))}>
                          {t('remove')}
                        </Button>
                      ) : (
                        <Button formAction="none" variant="inline-link" ariaLabel={t(row.active ? 'retireReason' : 'restoreReason', { code: row.code })} onClick={() => set(row.index, { active: !row.active })}>
                          {t(row.active ? 'retire' : 'restore')}
                        </Button>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </FormField>
      {canEdit && (
        <Button formAction="none" iconName="add-plus" onClick={() => change([...value, { code: '', en: '', zhTw: '', active: true, added: true }])}>
          {t('addReason')}
        </Button>
      )}
    </SpaceBetween>,
  );
}
