import { defineMessages } from './locale';

/** What a refused request means, by status, in the page's words; the API's `detail` follows. */
export const problemMessages = defineMessages(
  {
    '400': 'The request was not understood.',
    '401': 'Your session has ended. Sign in again.',
    '403': 'Your role does not allow this.',
    '404': 'It no longer exists, or it was never there.',
    '409': 'Someone changed this at the same time, or it conflicts with what exists.',
    '412': 'This changed since you opened it. Reload to see the latest, then try again.',
    '413': 'This is too large to send.',
    '422': 'Some fields need attention.',
    '429': 'Too many requests right now. Wait a moment and try again.',
    '500': 'Something went wrong on our side. Try again; if it keeps happening, tell your operator.',
    '503': 'The service is busy. Try again in a moment.',
    network: 'The service could not be reached. Check your connection.',
    other: 'The request failed.',
    fieldsBelow: 'See the fields marked below.',
  },
  {
    '400': '無法理解這個請求。',
    '401': '您的工作階段已結束，請重新登入。',
    '403': '您的角色無法執行此操作。',
    '404': '此項目已不存在，或從未存在。',
    '409': '有人同時修改了此項目，或與現有資料衝突。',
    '412': '開啟後此項目已被變更。請重新載入查看最新內容後再試一次。',
    '413': '內容過大，無法送出。',
    '422': '部分欄位需要修正。',
    '429': '目前請求過多，請稍候再試。',
    '500': '我們這邊發生錯誤。請再試一次；若持續發生，請聯絡服務營運者。',
    '503': '服務忙碌中，請稍後再試。',
    network: '無法連線到服務，請檢查您的網路連線。',
    other: '請求失敗。',
    fieldsBelow: '請查看下方標示的欄位。',
  },
);
