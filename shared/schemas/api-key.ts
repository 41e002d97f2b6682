import * as z from 'zod';
import { Iso8601 } from './common';

export const Scope = z.enum(['admin', 'agent', 'readonly']);
export type Scope = z.infer<typeof Scope>;

export const CreateApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(Scope).min(1).max(3),
});

export const ApiKey = z
  .object({
    keyId: z.string(),
    name: z.string(),
    scopes: z.array(Scope),
    prefix: z.string().describe('The first characters of the key, to tell keys apart'),
    createdAt: Iso8601,
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyWithSecret = ApiKey.extend({
  secret: z.string().describe('The whole key. Shown only once: store it now.'),
}).meta({ id: 'ApiKeyWithSecret' });

export const KeyIdParams = z.object({ keyId: z.string().max(64) });
