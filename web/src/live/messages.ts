import { defineMessages } from '../i18n/locale';

export const liveMessages = defineMessages(
  {
    connected: 'Live',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    connectedLabel: 'Live updates: connected. New assignments and changes appear on their own.',
    reconnectingLabel: 'Live updates: reconnecting. Select to try now.',
  },
  {
    connected: '即時',
    connecting: '連線中…',
    reconnecting: '重新連線中…',
    connectedLabel: '即時更新：已連線。新指派與變更會自動出現。',
    reconnectingLabel: '即時更新：重新連線中。選取即可立即重試。',
  },
);
