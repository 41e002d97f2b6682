/**
 * zod, as every module here imports it: the `zod/mini` API (functions and `.check()` instead of
 * method chains), which esbuild can tree-shake, with the English messages that classic zod
 * configures by default. Classic zod attaches every method to every schema, so each bundle
 * carried all of it (~95 KiB) and paid for building those methods on every schema at load.
 */
import { clone, config, globalRegistry, type core } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';

/**
 * `schema` with a description for the OpenAPI document, as classic zod's `.describe()`: a copy
 * carrying metadata, not a check, so objects stay usable with `partial`, `extend` and `pick`.
 */
export function described<T extends core.$ZodType>(schema: T, description: string): T {
  return withMeta(schema, { description });
}

/** `schema` with OpenAPI metadata (an `id` makes it a named component), as classic zod's `.meta()`. */
export function withMeta<T extends core.$ZodType>(schema: T, meta: core.GlobalMeta): T {
  const copy = clone(schema);
  globalRegistry.add(copy, meta);
  return copy;
}
