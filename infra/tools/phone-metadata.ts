import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import min from 'libphonenumber-js/metadata.min.json';
import { parsingMetadata } from '../../shared/domain/phone-metadata-source';

/**
 * Writes shared/domain/phone-metadata.json, the phone metadata the functions bundle, from the
 * installed libphonenumber-js. Run after updating that package (`npm run phone-metadata`);
 * tests/unit/phone-metadata.test.ts fails while the file is stale.
 */
export const phoneMetadataFile = fileURLToPath(new URL('../../shared/domain/phone-metadata.json', import.meta.url));

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(phoneMetadataFile, `${JSON.stringify(parsingMetadata(min))}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), phoneMetadataFile)}\n`);
}
