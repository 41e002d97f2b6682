import type { MetadataJson } from 'libphonenumber-js/core';

/**
 * The numbering-plan metadata that reading a number into E.164 and checking it needs: the
 * library's smallest ("min") metadata without the national formatting rules (how to print
 * `0912 345 678`), which parsing and validation never read. That is 60 % of the metadata, and
 * the phone library was the largest part of the customers and contacts bundles after the AWS SDK.
 */
export function parsingMetadata(min: MetadataJson): MetadataJson {
  const withoutFormats = (plan: unknown) => {
    const entry = [...(plan as unknown[])];
    entry[formatsIndex] = [];
    return entry;
  };
  const metadata = min as unknown as { version: number; countries: Record<string, unknown[]>; nonGeographic?: Record<string, unknown[]> };
  if (metadata.version !== 4) throw new Error(`libphonenumber-js metadata version ${metadata.version}; this trimming knows version 4`);
  return {
    ...min,
    countries: Object.fromEntries(Object.entries(metadata.countries).map(([country, plan]) => [country, withoutFormats(plan)])),
    ...(metadata.nonGeographic
      ? { nonGeographic: Object.fromEntries(Object.entries(metadata.nonGeographic).map(([code, plan]) => [code, withoutFormats(plan)])) }
      : {}),
  } as unknown as MetadataJson;
}

/** Where version-4 metadata keeps a numbering plan's formats (libphonenumber-js's Metadata._getFormats). */
const formatsIndex = 4;
