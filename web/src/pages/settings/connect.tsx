import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import { fieldError } from '../../components/problem';
import { useMessages } from '../../i18n/locale';
import { settingsMessages } from './messages';
import { useSection } from './section';
import type { Settings } from './use-settings';

/**
 * The instance's access URL, from which the desk opens Amazon Connect's Contact Control Panel.
 * Saved alone (`connect.accessUrl`; the instance list is left as it is); empty removes it.
 */
export function ConnectAccessUrlSection({ settings }: { settings: Settings }) {
  const t = useMessages(settingsMessages);
  const section = useSection<string>({
    id: 'connect',
    settings,
    header: t('ccpTitle'),
    description: t('ccpDescription'),
    fromSettings: (current) => current.connect.accessUrl ?? '',
    toPatch: (draft) => ({ connect: { accessUrl: draft.trim() === '' ? null : draft.trim() } }),
  });
  const { value, change, error, canEdit } = section;
  return section.frame(
    <FormField
      label={t('accessUrl')}
      description={t('accessUrlDescription')}
      constraintText={t('accessUrlConstraint')}
      errorText={fieldError(error, '$.connect.accessUrl')}
    >
      <Input
        value={value}
        readOnly={!canEdit}
        type="url"
        inputMode="url"
        placeholder={canEdit ? 'https://your-alias.my.connect.aws' : t('accessUrlNone')}
        onChange={(event) => change(event.detail.value)}
      />
    </FormField>,
  );
}
