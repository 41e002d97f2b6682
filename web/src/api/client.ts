import createFetchClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../../../client/schema';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];
export type ConsoleClient = Client<paths>;

/**
 * An answer the API refused, with its problem+json (RFC 9457) body: pages show `detail` in their
 * own words and each `errors[].path` beside its field (FieldErrors, ../components/problem.tsx).
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
  }

  /** The slug of the problem type, e.g. `duplicate-customer` for `/problems/duplicate-customer`. */
  get slug(): string {
    return (this.problem.type ?? '').split('/').pop() ?? '';
  }

  /** The message for one field (`$.name`), or for anything below it when `nested` is set. */
  fieldError(path: string, nested = false): string | undefined {
    const errors = (this.problem as { errors?: { path: string; message: string }[] }).errors ?? [];
    return errors.find((error) => error.path === path || (nested && error.path.startsWith(path + '.')))?.message;
  }
}

/** The API on the console's own origin (no CORS), with the signed-in person's access token. */
export function createConsoleClient(accessToken: () => Promise<string | null>, onSignedOut: () => void): ConsoleClient {
  const client = createFetchClient<paths>({ baseUrl: window.location.origin });
  client.use({
    async onRequest({ request }) {
      const token = await accessToken();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) onSignedOut();
      return response;
    },
  });
  return client;
}

/**
 * openapi-fetch's `{ data, error }` as a value or an ApiProblem, for TanStack Query:
 * `queryFn: () => answer(api.GET('/v1/settings'))`.
 */
export async function answer<Data>(call: Promise<{ data?: Data; error?: unknown; response: Response }>): Promise<Data> {
  const { data, error, response } = await call;
  if (response.ok) return data as Data;
  if (error && typeof error === 'object' && 'title' in error) throw new ApiProblem(response.status, error as Problem);
  throw new ApiProblem(response.status, { type: 'about:blank', title: response.statusText || 'Request failed', status: response.status } as Problem);
}
