import { describe, expect, it } from 'vitest';
import { apiFunctions } from '../../shared/http/routes';

describe('function entry points', () => {
  it.each(Object.keys(apiFunctions))('functions/%s/handler.ts serves every route declared for it', async (name) => {
    // createApiHandler throws at import when an operation of a declared route is missing.
    const module = await import(`../../functions/${name}/handler.ts`);
    expect(typeof module.handler).toBe('function');
  });
});
