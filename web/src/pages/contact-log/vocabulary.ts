import { defineMessages } from '../../i18n/locale';

/** The contact vocabulary's labels (channels, directions, outcomes), shared by the desk's pages. */
export const contactVocabulary = defineMessages(
  {
    'channel.voice': 'Phone',
    'channel.chat': 'Chat',
    'channel.email': 'E-mail',
    'channel.sms': 'SMS',
    'channel.web': 'Web',
    'channel.walk_in': 'Walk-in',
    'direction.inbound': 'Inbound',
    'direction.outbound': 'Outbound',
    'outcome.resolved': 'Resolved',
    'outcome.unresolved': 'Not resolved',
    'outcome.transferred': 'Transferred',
    'outcome.abandoned': 'Abandoned (never answered)',
  },
  {
    'channel.voice': '電話',
    'channel.chat': '線上對話',
    'channel.email': '電子郵件',
    'channel.sms': '簡訊',
    'channel.web': '網站',
    'channel.walk_in': '臨櫃',
    'direction.inbound': '來電／進線',
    'direction.outbound': '外撥／外送',
    'outcome.resolved': '已解決',
    'outcome.unresolved': '未解決',
    'outcome.transferred': '已轉接',
    'outcome.abandoned': '放棄（未接通）',
  },
);

export const channels = ['voice', 'chat', 'email', 'sms', 'web', 'walk_in'] as const;
export const directions = ['inbound', 'outbound'] as const;
export const outcomes = ['resolved', 'unresolved', 'transferred', 'abandoned'] as const;
