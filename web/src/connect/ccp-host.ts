import 'amazon-connect-streams';
import type { CcpLabels } from './ccp-panel';
import { fromStreamsContact, popOnce } from './screen-pop';

/**
 * The Contact Control Panel in the console (its own chunk: amazon-connect-streams is large and
 * only agents of a tenant with an instance need it). The panel is a fixed corner of the window,
 * outside the pages' React tree: moving or re-rendering an iframe reloads it, and the CCP must
 * outlive page changes. Each contact connected to the agent pops the caller once.
 */
export interface StartOptions {
  /** `<access URL>/ccp-v2/` */
  ccpUrl: string;
  labels: CcpLabels;
  onPop(path: string): void;
  onHide(): void;
}

export function startCcp(options: StartOptions) {
  const panel = document.createElement('section');
  panel.dataset.ccpPanel = '';
  Object.assign(panel.style, {
    position: 'fixed',
    right: '16px',
    bottom: '16px',
    zIndex: '2000',
    width: '340px',
    background: '#ffffff',
    border: '1px solid #8c8c94',
    borderRadius: '8px',
    boxShadow: '0 4px 20px rgba(0, 7, 22, 0.25)',
    display: 'flex',
    flexDirection: 'column',
    overflow: 'hidden',
    fontFamily: '"Open Sans", "Helvetica Neue", Roboto, Arial, sans-serif',
  });
  const bar = document.createElement('div');
  Object.assign(bar.style, { display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '4px 8px 4px 12px', background: '#f4f4f4' });
  const title = document.createElement('h2');
  Object.assign(title.style, { margin: '0', fontSize: '14px', fontWeight: '700', color: '#0f141a' });
  title.id = 'switchboard-ccp-title';
  panel.setAttribute('aria-labelledby', title.id);
  const hide = document.createElement('button');
  hide.type = 'button';
  hide.textContent = '✕';
  Object.assign(hide.style, { border: '0', background: 'transparent', fontSize: '16px', lineHeight: '1', padding: '6px', cursor: 'pointer', color: '#0f141a' });
  hide.addEventListener('click', () => options.onHide());
  bar.append(title, hide);
  const container = document.createElement('div');
  Object.assign(container.style, { width: '340px', height: '465px' });
  panel.append(bar, container);
  document.body.append(panel);

  const setLabels = (labels: CcpLabels) => {
    title.textContent = labels.panelTitle;
    hide.setAttribute('aria-label', labels.hide);
    hide.title = labels.hide;
    container.querySelector('iframe')?.setAttribute('title', labels.frameTitle);
  };
  setLabels(options.labels);

  connect.core.initCCP(container, {
    ccpUrl: options.ccpUrl,
    loginPopup: true,
    loginPopupAutoClose: true,
    loginOptions: { autoClose: true, height: 600, width: 400, top: 0, left: 0 },
    softphone: { allowFramedSoftphone: true },
    pageOptions: { enableAudioDeviceSettings: true, enablePhoneTypeSettings: true },
    iframeTitle: options.labels.frameTitle,
  });
  const pop = popOnce(options.onPop);
  connect.contact((contact) => {
    contact.onConnecting((connecting) => pop(fromStreamsContact(connecting)));
    contact.onConnected((connected) => pop(fromStreamsContact(connected)));
  });

  return {
    setVisible(visible: boolean) {
      panel.hidden = visible === false;
      panel.style.display = visible ? 'flex' : 'none';
    },
    setLabels,
  };
}
