import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * Bundled code is ESM; packages that still call `require` (CommonJS inside the bundle) need it
 * defined. The alias avoids clashing with a bundled module's own `createRequire` import.
 */
const requireBanner =
  "import { createRequire as switchboardCreateRequire } from 'node:module'; const require = switchboardCreateRequire(import.meta.url);";

/**
 * The esbuild options of every Lambda bundle, in esbuild's own terms: the API stack turns them
 * into NodejsFunction bundling, and bench/ builds the bundles it measures with them.
 */
export const lambdaBundling = {
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  // The runtime needs the mappings to rewrite stack traces (NODE_OPTIONS=--enable-source-maps), not the sources.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: { js: requireBanner },
  // The AWS SDK is bundled too: the versions tested are the versions deployed, not whatever SDK
  // the Lambda runtime ships that week, and esbuild keeps only the commands used.
  external: [],
} satisfies BuildOptions;

/** `lambdaBundling` as NodejsFunction bundling options (local esbuild, no Docker). */
export const nodejsFunctionBundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: lambdaBundling.target,
  minify: lambdaBundling.minify,
  sourceMap: lambdaBundling.sourcemap,
  sourcesContent: lambdaBundling.sourcesContent,
  mainFields: lambdaBundling.mainFields,
  banner: lambdaBundling.banner.js,
  externalModules: lambdaBundling.external,
};
