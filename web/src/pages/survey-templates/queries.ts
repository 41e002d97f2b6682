import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/api-context';
import { answer } from '../../api/client';
import type { Template } from './draft';

/** Every query about templates starts with this key, so one invalidation refreshes them all. */
export const templatesKey = ['survey-templates'] as const;

export interface LoadedTemplate {
  template: Template;
  /** The ETag of the version shown: If-Match for the next change. */
  etag: string;
}

/** A template at its current version, or at `version`; kept as read until the editor asks again (no refetch under a person's edits). */
export function useTemplate(templateId: string | undefined, version: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: [...templatesKey, templateId, version ?? 'current'],
    enabled: templateId !== undefined,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    queryFn: async (): Promise<LoadedTemplate> => {
      const call = api.GET('/v1/survey-templates/{templateId}', {
        params: { path: { templateId: templateId! }, query: version === undefined ? {} : { version } },
      });
      const template = await answer(call);
      const { response } = await call;
      return { template, etag: response.headers.get('etag') ?? `"${template.version}"` };
    },
  });
}

/** The settings the previews need: the display name and colour, and the survey rules' SMS choices. */
export function useSurveySettings() {
  const api = useApi();
  return useQuery({
    queryKey: ['settings'],
    queryFn: () => answer(api.GET('/v1/settings')),
    select: (settings) => ({
      company: settings.branding.displayName,
      colour: settings.branding.colour,
      templateInUse: settings.surveys.templateId,
      // As the service resolves rules stored before these settings existed (shared/domain/surveys/rules.ts).
      smsWebLink: settings.surveys.smsWebLink ?? true,
      smsThankYou: settings.surveys.smsThankYou ?? true,
      maxSegmentsPerMessage: settings.surveys.maxSegmentsPerMessage ?? 1,
    }),
  });
}
