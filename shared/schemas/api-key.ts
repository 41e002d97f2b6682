import * as z from '../zod';
import { Iso8601 } from './common';

/** What a key (or a person's role, shared/schemas/person.ts) may do; each includes those ranked below it: admin > supervisor > agent > readonly. */
export const Scope = z.enum(['admin', 'supervisor', 'agent', 'readonly']);
export type Scope = z.infer<typeof Scope>;

export const CreateApiKeyBody = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  scopes: z.array(Scope).check(z.minLength(1), z.maxLength(4)),
});

export const ApiKey = z.withMeta(
  z.object({
    keyId: z.string(),
    name: z.string(),
    scopes: z.array(Scope),
    createdAt: Iso8601,
  }),
  { id: 'ApiKey' },
);
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyWithSecret = z.withMeta(
  z.extend(ApiKey, {
    secret: z.described(z.string(), 'The whole key. Shown only once: store it now.'),
  }),
  { id: 'ApiKeyWithSecret' },
);

export const KeyIdParams = z.object({ keyId: z.string().check(z.maxLength(64)) });
