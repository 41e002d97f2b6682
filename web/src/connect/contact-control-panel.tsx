import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useEffect, useMemo } from 'react';
import { useMe } from '../api/api-context';
import { useRouter } from '../app/router';
import { useMessages } from '../i18n/locale';
import { type CcpLabels, hideCcpPanel, openCcpPanel, setCcpLabels, setPopNavigation, useCcpPanel } from './ccp-panel';
import { connectMessages } from './messages';

/**
 * The desk's "Open the phone" control: shown only when the tenant set its Amazon Connect access
 * URL; opens (or hides) the Contact Control Panel, which stays open across pages. Without the URL
 * it renders nothing and the streams library is never fetched.
 */
export function ContactControlPanelToggle() {
  const t = useMessages(connectMessages);
  const { navigate } = useRouter();
  const panel = useCcpPanel();
  // In the console's first call already: no request of its own on every desk page.
  const accessUrl = useMe().data?.tenant.connectAccessUrl;
  const labels: CcpLabels = useMemo(() => ({ panelTitle: t('panelTitle'), frameTitle: t('frameTitle'), hide: t('hide') }), [t]);

  useEffect(() => setPopNavigation(navigate), [navigate]);
  useEffect(() => setCcpLabels(labels), [labels]);

  if (!accessUrl) return null;
  const running = panel.status === 'ready' || panel.status === 'loading';
  return (
    <SpaceBetween size="xs" direction="horizontal" alignItems="center">
      <Button iconName={panel.visible ? 'close' : 'call'} onClick={() => (panel.visible ? hideCcpPanel() : openCcpPanel(accessUrl, labels))} ariaExpanded={panel.visible}>
        {panel.visible ? t('close') : t('open')}
      </Button>
      {panel.status === 'loading' && <StatusIndicator type="loading">{t('loading')}</StatusIndicator>}
      {panel.status === 'failed' && <StatusIndicator type="error">{t('failed', { reason: panel.failure ?? '' })}</StatusIndicator>}
      {running && panel.accessUrl && panel.accessUrl !== accessUrl && (
        <StatusIndicator type="warning">{t('otherInstance', { url: panel.accessUrl, current: accessUrl })}</StatusIndicator>
      )}
      {panel.status === 'off' && <StatusIndicator type="info">{t('hint')}</StatusIndicator>}
    </SpaceBetween>
  );
}
