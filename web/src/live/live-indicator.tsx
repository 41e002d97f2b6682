import type { TopNavigationProps } from '@cloudscape-design/components/top-navigation';
import { useMessages } from '../i18n/locale';
import { useLiveStatus } from './live-updates';
import { liveMessages } from './messages';

/**
 * The top bar's "live / reconnecting" item, while the channel runs: selecting it while
 * reconnecting tries at once instead of waiting for the backoff.
 */
export function useLiveIndicator(): TopNavigationProps.Utility[] {
  const t = useMessages(liveMessages);
  const { status, reconnectNow } = useLiveStatus();
  if (status === 'off') return [];
  const connected = status === 'connected';
  return [
    {
      type: 'button',
      text: t(status),
      iconName: connected ? 'status-positive' : 'status-pending',
      ariaLabel: connected ? t('connectedLabel') : t('reconnectingLabel'),
      title: connected ? t('connectedLabel') : t('reconnectingLabel'),
      disableUtilityCollapse: true,
      onClick: reconnectNow,
    },
  ];
}
