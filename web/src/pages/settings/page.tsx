import Alert from '@cloudscape-design/components/alert';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Tabs from '@cloudscape-design/components/tabs';
import type { ReactNode } from 'react';
import { useMe } from '../../api/api-context';
import { useRouter } from '../../app/router';
import { reaches } from '../../app/scopes';
import { ProblemAlert } from '../../components/problem';
import { useFormat, useMessages } from '../../i18n/locale';
import { AllocatedSection } from './allocated';
import { BrandingSection } from './branding';
import { BusinessHoursSection } from './business-hours';
import { settingsMessages } from './messages';
import { ReasonCodesSection } from './reason-codes';
import { DraftsProvider, type SectionId, useDrafts } from './section';
import { SlaPolicySection } from './sla-policy';
import { SurveyRulesSection } from './survey-rules';
import { useSettings } from './use-settings';

type TabId = Exclude<SectionId, 'connect'> | 'allocated';
const tabIds: TabId[] = ['hours', 'sla', 'reasons', 'surveys', 'branding', 'allocated'];

/** The tenant's settings: each tab is saved on its own, with one change that names only its fields. */
export default function SettingsPage() {
  const t = useMessages(settingsMessages);
  const me = useMe();
  const canEdit = reaches(me.data?.scopes ?? [], 'admin');
  return (
    <DraftsProvider canEdit={canEdit}>
      <ContentLayout header={<Header variant="h1" description={t('pageDescription')}>{t('pageTitle')}</Header>}>
        <SettingsTabs canEdit={canEdit} />
      </ContentLayout>
    </DraftsProvider>
  );
}

function SettingsTabs({ canEdit }: { canEdit: boolean }) {
  const t = useMessages(settingsMessages);
  const format = useFormat();
  const me = useMe();
  const loaded = useSettings();
  const { drafts } = useDrafts();
  const { query, navigate, path } = useRouter();
  const requested = query.get('section') as TabId | null;
  const active: TabId = requested && tabIds.includes(requested) ? requested : 'hours';

  if (loaded.isPending) return <StatusIndicator type="loading">{t('loading')}</StatusIndicator>;
  if (loaded.error) return <ProblemAlert error={loaded.error} header={t('loadFailed')} />;
  const { settings } = loaded.data;
  // The Connect section, the one editable part of the allocated tab, marks that tab.
  const unsaved = (id: TabId) => ((id === 'allocated' ? drafts.connect : drafts[id]) !== undefined ? ` ${t('unsavedMark')}` : '');
  const timezone = me.data?.tenant.timezone ?? settings.timezone;

  const content: Record<TabId, ReactNode> = {
    hours: <BusinessHoursSection settings={settings} />,
    sla: <SlaPolicySection settings={settings} />,
    reasons: <ReasonCodesSection settings={settings} />,
    surveys: <SurveyRulesSection settings={settings} />,
    branding: <BrandingSection settings={settings} />,
    allocated: <AllocatedSection settings={settings} />,
  };
  return (
    <SpaceBetween size="m">
      {!canEdit && (
        <Alert type="info" header={t('readOnlyTitle')}>
          {t('readOnlyText')}
        </Alert>
      )}
      <StatusIndicator type="info">{t('lastChanged', { when: format.dateTime(settings.updatedAt, timezone), version: settings.version })}</StatusIndicator>
      <Tabs
        activeTabId={active}
        onChange={(event) => navigate(`${path}?section=${event.detail.activeTabId}`, { replace: true })}
        ariaLabel={t('pageTitle')}
        tabs={tabIds.map((id) => ({ id, label: t(`tab.${id}`) + unsaved(id), content: content[id] }))}
      />
    </SpaceBetween>
  );
}
