import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Tabs from '@cloudscape-design/components/tabs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { ApiProblem, answer } from '../../api/client';
import { useNotify } from '../../app/notifications';
import { useFollow, useRouter } from '../../app/router';
import { reaches } from '../../app/scopes';
import { ProblemAlert, fieldError } from '../../components/problem';
import { useFormat, useLocale, useMessages } from '../../i18n/locale';
import {
  type Draft,
  type DraftQuestion,
  type Language,
  type Template,
  draftOf,
  emptyDraft,
  fieldPath,
  newQuestion,
  questionTypes,
  sameContent,
  templateBody,
  updateBody,
} from './draft';
import { templateMessages } from './messages';
import { type LoadedTemplate, templatesKey, useSurveySettings, useTemplate } from './queries';
import { BilingualText, QuestionEditor } from './question-editor';
import { type SmsFigures, SmsPreview, withServiceCounts } from './sms-preview';
import { sampleSurveyLink, templateSms } from './sms';
import { SurveyPagePreview } from './web-preview';

const maxQuestions = 12;

/** `/survey-templates/new` and `/survey-templates/<templateId>[?version=N]`. */
export function TemplateEditor({ templateId, version }: { templateId?: string; version?: number }) {
  const t = useMessages(templateMessages);
  const me = useMe();
  const current = useTemplate(templateId, undefined);
  const shown = useTemplate(templateId, version !== undefined && version !== current.data?.template.currentVersion ? version : undefined);
  // A copy of an older version, carried into the editor of the current one.
  const [seed, setSeed] = useState<{ draft: Draft; fromVersion: number; serial: number; onEtag: string }>();
  const canChange = reaches(me.data?.scopes ?? [], 'admin');

  if (templateId === undefined) {
    const tenantLocale = me.data?.tenant.locale === 'en' ? 'en' : 'zh-TW';
    return <EditorForm key="new" initial={emptyDraft(tenantLocale)} canChange={canChange} />;
  }
  const loading = current.isPending || shown.isPending;
  if (loading) {
    return (
      <Box padding="l">
        <StatusIndicator type="loading">{t('loadingTemplate')}</StatusIndicator>
      </Box>
    );
  }
  if (current.error || shown.error) return <ProblemAlert error={current.error ?? shown.error} />;
  const loaded = shown.data!;
  const isCurrent = loaded.template.version === loaded.template.currentVersion;
  // Only onto the version it was copied onto: once saved (or changed by someone else) the copy is spent.
  const seeded = isCurrent && seed?.onEtag === loaded.etag ? seed : undefined;
  const initial = seeded ? seeded.draft : draftOf(loaded.template);
  return (
    <EditorForm
      key={`${templateId}:${loaded.template.version}:${loaded.etag}:${seeded?.serial ?? 0}`}
      initial={initial}
      loaded={loaded}
      current={current.data!}
      canChange={canChange}
      copiedFrom={seeded?.fromVersion}
      onCopyOlder={(draft, fromVersion) => setSeed({ draft, fromVersion, serial: Date.now(), onEtag: current.data!.etag })}
    />
  );
}

interface EditorFormProps {
  initial: Draft;
  /** The version shown; absent for a new template. */
  loaded?: LoadedTemplate;
  current?: LoadedTemplate;
  canChange: boolean;
  copiedFrom?: number;
  onCopyOlder?(draft: Draft, fromVersion: number): void;
}

function EditorForm({ initial, loaded, current, canChange, copiedFrom, onCopyOlder }: EditorFormProps) {
  const t = useMessages(templateMessages);
  const format = useFormat();
  const { locale } = useLocale();
  const api = useApi();
  const me = useMe();
  const notify = useNotify();
  const follow = useFollow();
  const { navigate } = useRouter();
  const queryClient = useQueryClient();
  const settings = useSurveySettings();
  const [draft, setDraft] = useState<Draft>(initial);
  const [archiveOpen, setArchiveOpen] = useState(false);
  const [previewLanguage, setPreviewLanguage] = useState<Language>(locale);
  const idempotency = useRef<{ body: string; key: string }>(undefined);

  const template = loaded?.template;
  const timezone = me.data?.tenant.timezone;
  const isOlder = !!template && template.version !== template.currentVersion;
  const isArchived = template?.status === 'archived';
  const readOnly = !canChange || isOlder || isArchived;
  const changed = template ? !sameContent(draft, template) : true;

  const save = useMutation({
    mutationFn: async (): Promise<Template> => {
      if (!template) {
        const body = templateBody(draft);
        const serialized = JSON.stringify(body);
        // A retry of the same body reuses its key, so a lost answer does not make a second template.
        if (idempotency.current?.body !== serialized) idempotency.current = { body: serialized, key: crypto.randomUUID() };
        return answer(api.POST('/v1/survey-templates', { body, params: { header: { 'Idempotency-Key': idempotency.current.key } } }));
      }
      return answer(
        api.PATCH('/v1/survey-templates/{templateId}', {
          params: { path: { templateId: template.templateId }, header: { 'If-Match': current!.etag } },
          body: updateBody(draft),
        }),
      );
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: templatesKey });
      if (!template) {
        notify({ type: 'success', content: t('created') });
        navigate(`/survey-templates/${saved.templateId}`, { replace: true });
      } else if (saved.version === template.currentVersion) {
        notify({ type: 'info', content: t('nothingChanged') });
      } else {
        notify({ type: 'success', content: t('savedVersion', { version: saved.version }) });
      }
    },
  });

  const archive = useMutation({
    mutationFn: () => answer(api.DELETE('/v1/survey-templates/{templateId}', { params: { path: { templateId: template!.templateId } } })),
    onSuccess: () => {
      setArchiveOpen(false);
      notify({ type: 'success', content: t('archivedNotice', { name: template!.name }) });
      void queryClient.invalidateQueries({ queryKey: templatesKey });
      navigate('/survey-templates');
    },
  });

  const error = save.error;
  const stale = error instanceof ApiProblem && error.status === 412;
  const set = (patch: Partial<Draft>) => setDraft((before) => ({ ...before, ...patch }));
  // A renamed question takes the follow-ups that name it along.
  const setQuestion = (index: number, question: DraftQuestion) =>
    setDraft((before) => {
      const renamedFrom = before.questions[index]!.questionId;
      // Only while the old id was this question's alone: a follow-up of another question with the same id stays.
      const ownId = before.questions.filter((other) => other.questionId === renamedFrom).length === 1;
      return {
        ...before,
        questions: before.questions.map((old, at) => {
          if (at === index) return question;
          if (ownId && renamedFrom !== question.questionId && old.showIf?.questionId === renamedFrom) return { ...old, showIf: { ...old.showIf, questionId: question.questionId } };
          return old;
        }),
      };
    });
  const moveQuestion = (index: number, offset: -1 | 1) =>
    setDraft((before) => {
      const questions = [...before.questions];
      const [moved] = questions.splice(index, 1);
      questions.splice(index + offset, 0, moved!);
      return { ...before, questions };
    });
  const removeQuestion = (index: number) => setDraft((before) => ({ ...before, questions: before.questions.filter((_, at) => at !== index) }));

  // The figures: the service's for a saved version shown unchanged, otherwise counted here by the same rules.
  const figures = useMemo((): SmsFigures | undefined => {
    if (!settings.data) return undefined;
    const body = templateBody(draft);
    const local = templateSms(body, {
      company: settings.data.company,
      maxSegmentsPerMessage: settings.data.maxSegmentsPerMessage,
      ...(settings.data.smsWebLink && { webLink: sampleSurveyLink(window.location.origin) }),
    });
    if (template && !changed) {
      return { messages: withServiceCounts(local, template), maxSegmentsPerMessage: template.sms.maxSegmentsPerMessage, fromVersion: template.version };
    }
    return { messages: local, maxSegmentsPerMessage: settings.data.maxSegmentsPerMessage };
  }, [draft, settings.data, template, changed]);

  const versionOptions = template
    ? Array.from({ length: template.currentVersion }, (_, index) => template.currentVersion - index).map((number) => ({
        value: String(number),
        label: number === template.currentVersion ? t('versionCurrent', { version: number }) : t('versionOption', { version: number }),
      }))
    : [];
  const knownPaths = new Set(knownFieldPaths(draft));
  const otherErrors = error instanceof ApiProblem ? ((error.problem as { errors?: { path: string; message: string }[] }).errors ?? []).filter((entry) => !knownPaths.has(entry.path)) : [];

  const header = (
    <Header
      variant="h1"
      description={
        template ? t('versionFacts', { version: template.version, current: template.currentVersion, date: format.dateTime(template.versionCreatedAt, timezone) }) : t('description')
      }
      actions={
        <SpaceBetween size="xs" direction="horizontal">
          <Button href="/survey-templates" onFollow={follow}>
            {t('backToList')}
          </Button>
          {template && canChange && !isArchived && !isOlder ? <Button onClick={() => setArchiveOpen(true)}>{t('archive')}</Button> : null}
          {!readOnly && template ? (
            <Button disabled={!changed || save.isPending} onClick={() => setDraft(draftOf(template))}>
              {t('discard')}
            </Button>
          ) : null}
          {!readOnly ? (
            <Button variant="primary" loading={save.isPending} disabled={!!template && !changed} onClick={() => save.mutate()}>
              {template ? t('save') : t('saveNew')}
            </Button>
          ) : null}
        </SpaceBetween>
      }
    >
      {template ? template.name : t('newTitle')}
    </Header>
  );

  return (
    <ContentLayout header={header}>
      <SpaceBetween size="l">
        {!canChange ? <Alert type="info">{t('readOnlyNote')}</Alert> : null}
        {isArchived ? <Alert type="info">{t('archivedNote')}</Alert> : null}
        {isOlder ? (
          <Alert
            type="info"
            header={t('olderVersionTitle')}
            action={
              <SpaceBetween size="xs" direction="horizontal">
                <Button href={`/survey-templates/${template.templateId}`} onFollow={follow}>
                  {t('openCurrent')}
                </Button>
                {canChange && !isArchived ? (
                  <Button
                    onClick={() => {
                      onCopyOlder?.(draftOf(template), template.version);
                      navigate(`/survey-templates/${template.templateId}`);
                    }}
                  >
                    {t('startFromThis')}
                  </Button>
                ) : null}
              </SpaceBetween>
            }
          >
            {t('olderVersionText', { version: template.version, current: template.currentVersion, date: format.dateTime(template.versionCreatedAt, timezone) })}
          </Alert>
        ) : null}
        {copiedFrom !== undefined && changed ? <Alert type="info">{t('startedFromOlder', { version: copiedFrom })}</Alert> : null}
        {stale ? (
          <Alert
            type="error"
            header={t('staleTitle')}
            action={
              <Button onClick={() => void queryClient.invalidateQueries({ queryKey: templatesKey })}>{t('loadLatest')}</Button>
            }
          >
            {t('staleText')}
          </Alert>
        ) : error ? (
          <SpaceBetween size="xs">
            <ProblemAlert error={error} />
            {otherErrors.length > 0 ? (
              <Box variant="p" color="text-status-error">
                {t('otherErrors')} {otherErrors.map((entry) => `${entry.path}: ${entry.message}`).join('; ')}
              </Box>
            ) : null}
          </SpaceBetween>
        ) : null}
        {changed && template && !readOnly ? <StatusIndicator type="pending">{t('unsaved')}</StatusIndicator> : null}

        <Container header={<Header variant="h2">{t('detailsHeader')}</Header>}>
          <SpaceBetween size="m">
            <ColumnLayout columns={template ? 3 : 2}>
              <FormField label={t('name')} description={t('nameHint')} errorText={fieldError(error, '$.name')}>
                <Input value={draft.name} readOnly={readOnly} onChange={(event) => set({ name: event.detail.value })} />
              </FormField>
              <FormField label={t('defaultLanguage')} description={t('defaultLanguageHint')} errorText={fieldError(error, '$.defaultLanguage')}>
                <Select
                  selectedOption={{ value: draft.defaultLanguage, label: draft.defaultLanguage === 'en' ? t('languageEn') : t('languageZh') }}
                  options={[
                    { value: 'zh-TW', label: t('languageZh') },
                    { value: 'en', label: t('languageEn') },
                  ]}
                  disabled={readOnly}
                  onChange={(event) => set({ defaultLanguage: event.detail.selectedOption.value as Language })}
                />
              </FormField>
              {template ? (
                <FormField label={t('versionLabel')}>
                  <Select
                    selectedOption={versionOptions.find((option) => option.value === String(template.version)) ?? null}
                    options={versionOptions}
                    onChange={(event) => {
                      const chosen = Number(event.detail.selectedOption.value);
                      navigate(chosen === template.currentVersion ? `/survey-templates/${template.templateId}` : `/survey-templates/${template.templateId}?version=${chosen}`);
                    }}
                  />
                </FormField>
              ) : null}
            </ColumnLayout>
            <FormField label={t('descriptionLabel')} description={t('descriptionHint')} errorText={fieldError(error, '$.description')}>
              <Input value={draft.description} readOnly={readOnly} onChange={(event) => set({ description: event.detail.value })} />
            </FormField>
          </SpaceBetween>
        </Container>

        <Container header={<Header variant="h2" description={t('textsDescription')}>{t('textsHeader')}</Header>}>
          <SpaceBetween size="m">
            <BilingualText label={t('smsIntro')} description={t('smsIntroHint')} multiline value={draft.smsIntro} path="$.smsIntro" error={error} readOnly={readOnly} onChange={(smsIntro) => set({ smsIntro })} />
            <BilingualText label={t('thankYou')} description={t('thankYouHint')} multiline value={draft.thankYou} path="$.thankYou" error={error} readOnly={readOnly} onChange={(thankYou) => set({ thankYou })} />
          </SpaceBetween>
        </Container>

        <SpaceBetween size="s">
          <Header
            variant="h2"
            description={t('questionsDescription')}
            counter={`(${draft.questions.length}/${maxQuestions})`}
            actions={
              readOnly ? undefined : (
                <ButtonDropdown
                  disabled={draft.questions.length >= maxQuestions}
                  items={questionTypes.map((type) => ({ id: type, text: t(`type.${type}`) }))}
                  onItemClick={(event) => setDraft((before) => ({ ...before, questions: [...before.questions, newQuestion(before.questions, event.detail.id as DraftQuestion['type'])] }))}
                >
                  {t('addQuestion')}
                </ButtonDropdown>
              )
            }
          >
            {t('questionsHeader')}
          </Header>
          {fieldError(error, '$.questions') ? <StatusIndicator type="error">{fieldError(error, '$.questions')}</StatusIndicator> : null}
          {draft.questions.length === 0 ? (
            <Container>
              <Box textAlign="center" color="text-body-secondary">
                {t('noQuestions')}
              </Box>
            </Container>
          ) : null}
          {draft.questions.map((question, index) => (
            <QuestionEditor
              key={question.key}
              question={question}
              index={index}
              count={draft.questions.length}
              earlier={draft.questions.slice(0, index)}
              error={error}
              readOnly={readOnly}
              onChange={(changedQuestion) => setQuestion(index, changedQuestion)}
              onMove={(offset) => moveQuestion(index, offset)}
              onRemove={() => removeQuestion(index)}
            />
          ))}
        </SpaceBetween>

        <Container header={<Header variant="h2">{t('smsHeader')}</Header>}>
          {settings.error ? (
            <ProblemAlert error={settings.error} />
          ) : !figures || !settings.data ? (
            <Spinner />
          ) : (
            <SmsPreview figures={figures} company={settings.data.company} thankYouTexted={settings.data.smsThankYou} webLinkAdded={settings.data.smsWebLink} />
          )}
        </Container>

        <Container header={<Header variant="h2" description={t('webDescription')}>{t('webHeader')}</Header>}>
          {settings.data ? (
            <Tabs
              ariaLabel={t('previewTabs')}
              activeTabId={previewLanguage}
              onChange={(event) => setPreviewLanguage(event.detail.activeTabId as Language)}
              tabs={(['en', 'zh-TW'] as const).map((language) => {
                const languageName = language === 'en' ? t('languageEn') : t('languageZh');
                return {
                  id: language,
                  label: languageName,
                  content: (
                    <SurveyPagePreview
                      template={templateBody(draft)}
                      language={language}
                      company={settings.data.company}
                      colour={settings.data.colour}
                      label={t('webLanguage', { language: languageName })}
                      thanksLabel={`${t('webLanguage', { language: languageName })} · ${t('webThanks')}`}
                    />
                  ),
                };
              })}
            />
          ) : (
            <Spinner />
          )}
        </Container>
      </SpaceBetween>

      {template ? (
        <Modal
          visible={archiveOpen}
          onDismiss={() => {
            setArchiveOpen(false);
            archive.reset();
          }}
          header={t('archiveTitle', { name: template.name })}
          footer={
            <Box float="right">
              <SpaceBetween size="xs" direction="horizontal">
                <Button
                  variant="link"
                  onClick={() => {
                    setArchiveOpen(false);
                    archive.reset();
                  }}
                >
                  {t('cancel')}
                </Button>
                <Button variant="primary" loading={archive.isPending} onClick={() => archive.mutate()}>
                  {t('archiveConfirm')}
                </Button>
              </SpaceBetween>
            </Box>
          }
        >
          <SpaceBetween size="m">
            <Box variant="p">{t('archiveText')}</Box>
            {archive.error instanceof ApiProblem && archive.error.slug === 'survey-template-in-use' ? (
              <Alert type="error" header={t('inUseTitle')}>
                {t('inUseText')}
              </Alert>
            ) : archive.error ? (
              <ProblemAlert error={archive.error} />
            ) : null}
          </SpaceBetween>
        </Modal>
      ) : null}
    </ContentLayout>
  );
}

/** Every field path the form shows an error beside; the API's messages for any other path are listed under the alert. */
function knownFieldPaths(draft: Draft): string[] {
  const paths = ['$.name', '$.description', '$.defaultLanguage', '$.questions', '$.smsIntro', '$.smsIntro.en', '$.smsIntro.zh-TW', '$.thankYou', '$.thankYou.en', '$.thankYou.zh-TW'];
  draft.questions.forEach((_question, index) => {
    const at = (...rest: string[]) => fieldPath('questions', index, ...rest);
    paths.push(at('questionId'), at('type'), at('dimension'), at('maxLength'), at('required'), at('text'), at('text', 'en'), at('text', 'zh-TW'));
    for (const end of ['min', 'max']) paths.push(at('scaleLabels', end, 'en'), at('scaleLabels', end, 'zh-TW'), at('scaleLabels', end));
    paths.push(at('showIf'), at('showIf', 'questionId'), at('showIf', 'operator'), at('showIf', 'value'), at('showIf', 'equals'));
  });
  return paths;
}
