import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { repositoryRoot } from './config';

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
  // The map ships beside the bundle but the runtime does not load it: `--enable-source-maps`
  // parses it at every cold start (+15–25 ms, a quarter of a function's module load) and on every
  // error.stack read. `npm run stacktrace` maps a logged stack trace back to the sources instead.
  sourcemap: true,
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

/** Bundles `functions/<name>/handler.ts` as the API stack deploys it (bench and tools measure and decode these). */
export function bundleFunction(name: string, outfile: string, options: BuildOptions = {}) {
  return build({
    ...lambdaBundling,
    entryPoints: [path.join(repositoryRoot, 'functions', name, 'handler.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    logLevel: 'error',
    ...options,
  });
}
