import { defineMessages } from '../i18n/locale';

export const connectMessages = defineMessages(
  {
    panelTitle: 'Contact Control Panel',
    frameTitle: 'Amazon Connect Contact Control Panel',
    hide: 'Hide the Contact Control Panel',
    open: 'Open the phone',
    close: 'Hide the phone',
    loading: 'Loading the Contact Control Panel…',
    ready: 'The Contact Control Panel is open. Calls that reach you open the caller here.',
    failed: 'The Contact Control Panel could not be loaded: {reason}. Reload the page to try again.',
    otherInstance: 'The Contact Control Panel of {url} is still open in this tab: reload the page to use {current}.',
    hint: 'Sign in to Amazon Connect in the window that opens (allow pop-ups for this site). The panel stays open while you move between pages.',
  },
  {
    panelTitle: '聯絡控制面板',
    frameTitle: 'Amazon Connect 聯絡控制面板（CCP）',
    hide: '隱藏聯絡控制面板',
    open: '開啟電話',
    close: '隱藏電話',
    loading: '正在載入聯絡控制面板…',
    ready: '聯絡控制面板已開啟。轉接給您的來電會在這裡開啟來電者。',
    failed: '無法載入聯絡控制面板：{reason}。請重新整理頁面再試一次。',
    otherInstance: '此分頁仍開著 {url} 的聯絡控制面板：請重新整理頁面以改用 {current}。',
    hint: '請在開啟的視窗中登入 Amazon Connect（請允許此網站的彈出式視窗）。切換頁面時，面板會保持開啟。',
  },
);
