import { AmazonConnectApp } from '@amazon-connect/app';
import { ContactClient } from '@amazon-connect/contact';
import { VoiceClient } from '@amazon-connect/voice';
import { type ConnectedContact, fromWorkspaceEvent, isPhoneChannel } from './screen-pop';

/**
 * The desk as a third-party application of Amazon Connect's agent workspace (its own chunk):
 * @amazon-connect/app connects to the workspace that frames the page, @amazon-connect/contact
 * reports each contact connected to the agent, and @amazon-connect/voice reads the caller's
 * number of a call. Started once per page load: the workspace keeps the app's frame alive.
 */
export interface WorkspaceHandlers {
  onCreated(): void;
  onContact(contact: ConnectedContact): void;
  onError(reason: string): void;
}

let handlers: WorkspaceHandlers | undefined;
let started = false;

export function startWorkspaceApp(next: WorkspaceHandlers): void {
  handlers = next;
  if (started) return;
  started = true;
  const { provider } = AmazonConnectApp.init({
    onCreate: async () => {
      handlers?.onCreated();
    },
  });
  // The installed @amazon-connect/app (1.0.11) and contact/voice (1.0.12) each bring their own
  // @amazon-connect/core: the same provider at run time, two declarations of it to TypeScript.
  const sameProvider = provider as unknown as ConstructorParameters<typeof ContactClient>[0] & ConstructorParameters<typeof VoiceClient>[0];
  const contacts = new ContactClient(sameProvider);
  const voice = new VoiceClient(sameProvider);
  contacts.onConnected((event) => popFor(event));

  async function popFor(event: Parameters<Parameters<ContactClient['onConnected']>[0]>[0]): Promise<void> {
    let number: string | undefined;
    if (isPhoneChannel(event.type)) {
      try {
        number = await voice.getInitialCustomerPhoneNumber(event.contactId);
      } catch (error) {
        handlers?.onError(error instanceof Error ? error.message : String(error));
      }
    }
    handlers?.onContact(fromWorkspaceEvent(event, number));
  }
}
