import { describe, expect, it } from 'vitest';
import { apiFunctions, routeKey, routesOf } from '../../shared/http/routes';

describe('function entry points', () => {
  it.each(Object.keys(apiFunctions))('functions/%s/handler.ts serves every route declared for it, and only those', async (name) => {
    // createApiHandler throws at import when an operation of a route it was given is missing;
    // a handler given the wrong area's routes would serve none of its own.
    const module = (await import(`../../functions/${name}/handler.ts`)) as { handler: { servedRouteKeys: string[] } };
    expect(typeof module.handler).toBe('function');
    expect([...module.handler.servedRouteKeys].sort()).toEqual(routesOf(name as keyof typeof apiFunctions).map(routeKey).sort());
  });
});
