import { defineMessages } from '../../i18n/locale';

export const workspaceAppMessages = defineMessages(
  {
    title: 'Switchboard in the agent workspace',
    description: 'The caller of each call connected to you, opened as soon as Amazon Connect connects it.',
    outsideTitle: 'Open this page inside Amazon Connect’s agent workspace',
    outsideText:
      'This page is the Switchboard app for Amazon Connect’s agent workspace: once your administrator adds it there as a third-party application, it opens the caller when a call is connected to you. Opened on its own, it has nothing to show.',
    outsideLink: 'Go to My work',
    connecting: 'Connecting to the agent workspace…',
    waiting: 'Waiting for a call. When one is connected to you, the caller opens here.',
    noNumber: 'A {channel} contact was connected without a caller’s number: nothing to open. Find the customer under Customers.',
    noAnswer: 'The agent workspace did not answer. Reopen the app in the workspace; if it stays so, ask your administrator to check the app’s access URL.',
    failed: 'The agent workspace reported a problem: {reason}',
    caller: 'Caller {phone}',
  },
  {
    title: '客服工作區中的 Switchboard',
    description: 'Amazon Connect 接通給您的每通來電，一接通就會在這裡開啟來電者。',
    outsideTitle: '請在 Amazon Connect 的客服工作區中開啟此頁面',
    outsideText:
      '此頁面是供 Amazon Connect 客服工作區使用的 Switchboard 應用程式：管理員在工作區將它新增為第三方應用程式後，來電接通給您時，就會在這裡開啟來電者。單獨開啟時沒有內容可顯示。',
    outsideLink: '前往我的工作',
    connecting: '正在連線至客服工作區…',
    waiting: '等待來電中。來電接通給您時，會在這裡開啟來電者。',
    noNumber: '已接通一通 {channel} 聯絡，但沒有來電號碼，因此無法開啟來電者。請到「顧客」頁面查詢。',
    noAnswer: '客服工作區沒有回應。請在工作區重新開啟此應用程式；若仍無法使用，請管理員檢查應用程式的存取網址。',
    failed: '客服工作區回報了問題：{reason}',
    caller: '來電 {phone}',
  },
);
