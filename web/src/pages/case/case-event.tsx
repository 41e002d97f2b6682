import Textarea from '@cloudscape-design/components/textarea';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import type { useMessages } from '../../i18n/locale';
import type { caseMessages } from './messages';

export type CaseView = Schemas['CaseWithTimeline'];
export type CaseEventInput = Schemas['CaseEventInput'];
export type CaseTranslate = ReturnType<typeof useMessages<keyof typeof caseMessages.en>>;

/** Posting an event to the case, refreshing the case and every list of cases after. */
export function useCaseEvent(caseId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CaseEventInput) => answer(api.POST('/v1/cases/{caseId}/events', { params: { path: { caseId } }, body })),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['case', caseId] });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
  });
}

/** Cloudscape's Textarea with its value as a plain string setter. */
export function TextArea({ value, onChange, label }: { value: string; onChange: (value: string) => void; label: string }) {
  return <Textarea value={value} ariaLabel={label} onChange={(event) => onChange(event.detail.value)} rows={3} />;
}
