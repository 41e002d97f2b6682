/**
 * The screen pop from Amazon Connect's own libraries: a contact connected to the agent (the
 * Contact Control Panel through amazon-connect-streams, or the agent workspace through
 * @amazon-connect/contact) becomes the desk's pop URL, `/desk/pop?phone=<caller's number>`.
 *
 * Connect's contact id is not Switchboard's (`con_…`, which `/desk/pop?contactId=` takes): the
 * logged contact and its wrap-up come with the live pop (web/src/live), which Connect's events
 * name by Switchboard's id about a second later. Pure: no library is imported here.
 */

/** What the desk needs from a contact connected to the agent, whichever library reported it. */
export interface ConnectedContact {
  /** Connect's contact id: each contact pops once, though both "connecting" and "connected" report it. */
  contactId: string;
  /** Connect's channel: `voice`, `queue_callback`, `chat`, `task`, `email`… */
  channel: string;
  /** The agent called out (or was called back): the agent already has the customer open, so no pop. */
  outbound: boolean;
  /** The customer's address as Connect gives it: `+886912345678`, `sip:+886…@…`, `anonymous`, or none. */
  customerAddress: string | undefined;
}

const phoneChannels = new Set(['voice', 'queue_callback']);

/** Whether Connect's channel is a call, which has a caller's number to pop by. */
export const isPhoneChannel = (channel: string): boolean => phoneChannels.has(channel.toLowerCase());

/** The caller's number in E.164, from the address Connect gives; undefined for a withheld or non-phone address. */
export function callerNumber(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const withoutScheme = address.trim().replace(/^(?:sip|tel):/i, '').replace(/@.*$/, '').replace(/;.*$/, '');
  const compact = withoutScheme.replace(/[\s().-]/g, '');
  return /^\+[1-9]\d{6,14}$/.test(compact) ? compact : undefined;
}

/** Where the desk goes for this contact, or undefined when there is nothing to pop (no caller's number, an outbound call). */
export function popPath(contact: ConnectedContact): string | undefined {
  if (contact.outbound || !isPhoneChannel(contact.channel)) return undefined;
  const phone = callerNumber(contact.customerAddress);
  return phone ? `/desk/pop?${new URLSearchParams({ phone }).toString()}` : undefined;
}

/** What amazon-connect-streams' `connect.Contact` offers that the pop reads (its index.d.ts). */
export interface StreamsContact {
  getContactId(): string;
  getType(): string;
  isInbound(): boolean;
  getInitialConnection(): { getEndpoint(): { phoneNumber?: string } } | null | undefined;
}

export function fromStreamsContact(contact: StreamsContact): ConnectedContact {
  let customerAddress: string | undefined;
  try {
    customerAddress = contact.getInitialConnection()?.getEndpoint().phoneNumber;
  } catch {
    // A chat or task has no endpoint with a number: nothing to pop by.
    customerAddress = undefined;
  }
  return { contactId: contact.getContactId(), channel: contact.getType(), outbound: !contact.isInbound(), customerAddress };
}

/** What @amazon-connect/contact's lifecycle events carry (BaseContactLifecycleEvent), and the number read for it. */
export interface WorkspaceContactEvent {
  contactId: string;
  initialContactId?: string | undefined;
  type: string;
  subtype?: string;
}

export function fromWorkspaceEvent(event: WorkspaceContactEvent, customerAddress: string | undefined): ConnectedContact {
  return { contactId: event.contactId, channel: event.type, outbound: false, customerAddress };
}

/**
 * Pops each contact once: "connecting" and then "connected" (or a reload of the panel) report the
 * same contact again, and the agent may have moved on since the first pop.
 */
export function popOnce(go: (path: string) => void): (contact: ConnectedContact) => string | undefined {
  const popped = new Set<string>();
  return (contact) => {
    if (popped.has(contact.contactId)) return undefined;
    const path = popPath(contact);
    if (!path) return undefined;
    popped.add(contact.contactId);
    go(path);
    return path;
  };
}

/** The CCP's address inside the instance: `<access URL>/ccp-v2/` (amazon-connect-streams' `ccpUrl`). */
export const ccpUrlOf = (accessUrl: string): string => `${accessUrl.replace(/\/+$/, '')}/ccp-v2/`;
