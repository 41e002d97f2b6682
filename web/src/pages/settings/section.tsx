import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiProblem } from '../../api/client';
import { useNotify } from '../../app/notifications';
import { ProblemAlert } from '../../components/problem';
import { useMessages } from '../../i18n/locale';
import { settingsMessages } from './messages';
import { type Settings, type SettingsPatch, settingsQueryKey, useSaveSettings } from './use-settings';

export type SectionId = 'hours' | 'sla' | 'reasons' | 'surveys' | 'branding' | 'connect';

interface DraftsState {
  drafts: Partial<Record<SectionId, unknown>>;
  setDraft(section: SectionId, draft: unknown): void;
  clearDrafts(): void;
  canEdit: boolean;
}

const DraftsContext = createContext<DraftsState | undefined>(undefined);

/**
 * Unsaved changes of every section, kept above the tabs so that moving between tabs loses none.
 * A section without a draft shows the settings as last read or saved.
 */
export function DraftsProvider({ canEdit, children }: { canEdit: boolean; children: ReactNode }) {
  const [drafts, setDrafts] = useState<Partial<Record<SectionId, unknown>>>({});
  const setDraft = useCallback((section: SectionId, draft: unknown) => setDrafts((current) => ({ ...current, [section]: draft })), []);
  const clearDrafts = useCallback(() => setDrafts({}), []);
  const value = useMemo(() => ({ drafts, setDraft, clearDrafts, canEdit }), [drafts, setDraft, clearDrafts, canEdit]);
  const unsaved = Object.values(drafts).some((draft) => draft !== undefined);
  useEffect(() => {
    if (!unsaved) return;
    // The browser asks before closing or reloading the tab while a change is not saved.
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);
  return <DraftsContext.Provider value={value}>{children}</DraftsContext.Provider>;
}

export function useDrafts(): DraftsState {
  const state = useContext(DraftsContext);
  if (!state) throw new Error('useDrafts outside DraftsProvider');
  return state;
}

export interface Section<Draft> {
  /** What the form shows: the unsaved draft, or the settings. */
  value: Draft;
  change(next: Draft): void;
  dirty: boolean;
  canEdit: boolean;
  /** The refused save, for `fieldError(section.error, '$.path')` beside each field. */
  error: unknown;
  frame: (content: ReactNode) => ReactNode;
}

interface SectionOptions<Draft> {
  id: SectionId;
  settings: Settings;
  header: string;
  description?: ReactNode;
  fromSettings(settings: Settings): Draft;
  toPatch(draft: Draft): SettingsPatch;
}

/** A section of the page: its draft, and one PATCH with only its fields when saved. */
export function useSection<Draft>({ id, settings, header, description, fromSettings, toPatch }: SectionOptions<Draft>): Section<Draft> {
  const t = useMessages(settingsMessages);
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { drafts, setDraft, clearDrafts, canEdit } = useDrafts();
  const save = useSaveSettings();
  const draft = drafts[id] as Draft | undefined;
  const value = draft ?? fromSettings(settings);
  const dirty = draft !== undefined;
  const conflict = save.error instanceof ApiProblem && save.error.status === 412;

  const submit = () =>
    save.mutate(toPatch(value), {
      onSuccess: () => {
        setDraft(id, undefined);
        notify({ type: 'success', content: t('saved', { section: header }) });
      },
    });
  const discard = () => {
    setDraft(id, undefined);
    save.reset();
  };
  const reload = async () => {
    await queryClient.refetchQueries({ queryKey: settingsQueryKey });
    clearDrafts();
    save.reset();
  };

  const frame = (content: ReactNode) => (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (canEdit) submit();
      }}
    >
      <Form
        actions={
          canEdit ? (
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" disabled={!dirty || save.isPending} onClick={discard}>
                {t('discard')}
              </Button>
              <Button variant="primary" loading={save.isPending} disabled={!dirty}>
                {t('save')}
              </Button>
            </SpaceBetween>
          ) : undefined
        }
      >
        <SpaceBetween size="l">
          {save.error && !conflict ? <ProblemAlert error={save.error} /> : null}
          {conflict && (
            <Alert
              type="warning"
              header={t('conflictTitle')}
              action={<Button formAction="none" onClick={() => void reload()}>{t('reload')}</Button>}
            >
              {t('conflictText')}
            </Alert>
          )}
          <Container header={<Header variant="h2" description={description}>{header}</Header>}>{content}</Container>
        </SpaceBetween>
      </Form>
    </form>
  );

  return { value, change: (next) => setDraft(id, next), dirty, canEdit, error: save.error, frame };
}
