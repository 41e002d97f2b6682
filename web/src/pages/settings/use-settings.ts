import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';

export type Settings = Schemas['Settings'];
export type SettingsPatch = Schemas['SettingsPatch'];

/** The settings and the ETag of the version they are: a change is sent with it as If-Match. */
export interface LoadedSettings {
  settings: Settings;
  etag: string;
}

export const settingsQueryKey = ['settings', 'with-etag'] as const;

/**
 * The settings as this page last read or saved them. Not refreshed behind the person's back
 * (no refetch on focus, never stale): the ETag must be the version the person is looking at, so
 * that a save over someone else's change is refused (412) instead of quietly undoing it.
 */
export function useSettings() {
  const api = useApi();
  return useQuery({
    queryKey: settingsQueryKey,
    queryFn: async (): Promise<LoadedSettings> => {
      const call = api.GET('/v1/settings');
      const settings = await answer(call);
      return { settings, etag: (await call).response.headers.get('etag') ?? '*' };
    },
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

/** One section's save: one PATCH with only that section, If-Match the version on screen. */
export function useSaveSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (patch: SettingsPatch): Promise<LoadedSettings> => {
      const loaded = queryClient.getQueryData<LoadedSettings>(settingsQueryKey);
      const call = api.PATCH('/v1/settings', { body: patch, params: { header: { 'If-Match': loaded?.etag ?? '*' } } });
      const settings = await answer(call);
      return { settings, etag: (await call).response.headers.get('etag') ?? '*' };
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsQueryKey, saved);
      // GET /v1/me carries the tenant's locale, time zone and Connect access URL.
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
}
