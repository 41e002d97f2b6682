import { useSyncExternalStore } from 'react';
import { ccpUrlOf } from './screen-pop';

/**
 * The Contact Control Panel of this tab. The CCP's frame lives as long as the tab (a call must not
 * drop because the agent opened another page), so its state is kept here, outside any page; the
 * streams library is fetched (its own chunk, ccp-host) only when an agent first opens the panel.
 */
export interface CcpPanelState {
  status: 'off' | 'loading' | 'ready' | 'failed';
  visible: boolean;
  /** The access URL the running CCP was opened from: streams opens one CCP per tab. */
  accessUrl?: string;
  failure?: string;
}

export interface CcpLabels {
  panelTitle: string;
  frameTitle: string;
  hide: string;
}

interface CcpHost {
  setVisible(visible: boolean): void;
  setLabels(labels: CcpLabels): void;
}

let state: CcpPanelState = { status: 'off', visible: false };
let host: CcpHost | undefined;
let navigateTo: (path: string) => void = () => undefined;
const listeners = new Set<() => void>();

function update(change: Partial<CcpPanelState>): void {
  state = { ...state, ...change };
  host?.setVisible(state.visible);
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export function useCcpPanel(): CcpPanelState {
  return useSyncExternalStore(subscribe, () => state);
}

/** Where a pop goes: the console's own navigation (given by whichever desk page is open). */
export function setPopNavigation(navigate: (path: string) => void): void {
  navigateTo = navigate;
}

/** Shows the panel, starting the CCP at the tenant's access URL the first time. */
export function openCcpPanel(accessUrl: string, labels: CcpLabels): void {
  if (state.status !== 'off') {
    update({ visible: true });
    return;
  }
  update({ status: 'loading', visible: true, accessUrl });
  import('./ccp-host')
    .then(({ startCcp }) => {
      host = startCcp({ ccpUrl: ccpUrlOf(accessUrl), labels, onPop: (path) => navigateTo(path), onHide: () => update({ visible: false }) });
      update({ status: 'ready' });
    })
    .catch((error: unknown) => update({ status: 'failed', failure: error instanceof Error ? error.message : String(error) }));
}

export function hideCcpPanel(): void {
  update({ visible: false });
}

export function setCcpLabels(labels: CcpLabels): void {
  host?.setLabels(labels);
}
