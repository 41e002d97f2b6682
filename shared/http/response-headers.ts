/**
 * The response headers of the HTTP contract that a client acts on, as the OpenAPI document
 * declares them. A route's response names those it sends (RouteResponse.headers); those every
 * answer of a kind carries (Idempotent-Replayed, Retry-After, WWW-Authenticate) are added by
 * declaredHeaders (./route-answers.ts).
 */
export const responseHeaders = {
  ETag: {
    description: 'The version of the resource this answer shows; send it as If-Match to change the resource',
    schema: { type: 'string', pattern: '^"[0-9]+"$' },
  },
  Location: { description: 'The path of the resource the request created (or of the result to read)', schema: { type: 'string' } },
  'Idempotent-Replayed': {
    description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key, replayed',
    schema: { type: 'string', enum: ['true'] },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying: at most 31 days, when a month\'s SMS quota resets at the start of the next month',
    schema: { type: 'integer', minimum: 1, maximum: 31 * 24 * 60 * 60 },
  },
  'WWW-Authenticate': { description: 'The authentication scheme: `Bearer`', schema: { type: 'string' } },
  Link: { description: 'The next part of a long export: `<…?cursor=…>; rel="next"`', schema: { type: 'string' } },
  'Content-Disposition': { description: 'An attachment with the file name to save the export as', schema: { type: 'string' } },
} as const satisfies Record<string, { description: string; schema: Record<string, unknown> }>;

export type ResponseHeaderName = keyof typeof responseHeaders;

export const responseHeaderNames = Object.keys(responseHeaders) as ResponseHeaderName[];
