import type { QueryClient } from '@tanstack/react-query';
import type { LiveMessage } from './live-client';

/** The pop URL any softphone can open (the desk's contract): by contact id, with the number when known. */
export function screenPopPath(message: Extract<LiveMessage, { type: 'screen-pop' }>): string {
  const query = new URLSearchParams({ contactId: message.contactId });
  if (message.phone) query.set('phone', message.phone);
  return `/desk/pop?${query.toString()}`;
}

/**
 * What a message makes stale (the desk's query keys): any list of cases (keys starting with
 * 'cases'), the case itself (['case', caseId]) and customers' overviews, which list open cases.
 */
export function invalidateFor(queryClient: Pick<QueryClient, 'invalidateQueries'>, message: LiveMessage): void {
  if (message.type === 'screen-pop') return;
  void queryClient.invalidateQueries({ queryKey: ['cases'] });
  void queryClient.invalidateQueries({ queryKey: ['case', message.caseId] });
  void queryClient.invalidateQueries({ queryKey: ['customer-overview'] });
}

/** After a gap every desk key may be stale. */
export function invalidateAll(queryClient: Pick<QueryClient, 'invalidateQueries'>): void {
  for (const key of ['cases', 'case', 'customer-overview']) void queryClient.invalidateQueries({ queryKey: [key] });
}
