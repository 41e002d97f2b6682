import createFetchClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

/**
 * The typed Switchboard client: every path, parameter, body and answer of the API, checked by
 * TypeScript, over the platform's own `fetch` (Node 22, browsers, workers — nothing Node-only).
 *
 *   const switchboard = createSwitchboardClient({ baseUrl: 'http://localhost:3000', apiKey });
 *   const { data, error } = await switchboard.POST('/v1/customers', { body: { displayName: 'Mei' } });
 *
 * `data` is the success body and `error` the problem+json body (RFC 9457), one of them set. The
 * types are generated from the API's OpenAPI document (client/schema.ts, `npm run client:generate`);
 * docs/quick-start.md and client/examples/integration.ts show a whole integration.
 */

export type { components, operations, paths };
/** The API's named schemas, e.g. `Schemas['Customer']`. */
export type Schemas = components['schemas'];
/** An error answer: RFC 9457 problem details. */
export type Problem = Schemas['Problem'];
export type SwitchboardClient = Client<paths>;

export interface SwitchboardClientOptions {
  /** Where the API is: the stage's EdgeUrl, or http://localhost:3000 for the local twin. */
  baseUrl: string;
  /** A tenant API key (`sb.…`), or the operator key for the operator's routes. */
  apiKey: string;
  /** Another fetch (a test double, a runtime's own); the global one otherwise. */
  fetch?: ClientOptions['fetch'];
  /** Headers sent with every request, e.g. a user agent naming your integration. */
  headers?: ClientOptions['headers'];
}

/** Sends `Authorization: Bearer <key>` on every request. */
export function bearerAuth(apiKey: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${apiKey}`);
      return request;
    },
  };
}

export function createSwitchboardClient(options: SwitchboardClientOptions): SwitchboardClient {
  const client = createFetchClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.headers && { headers: options.headers }),
  });
  client.use(bearerAuth(options.apiKey));
  return client;
}
