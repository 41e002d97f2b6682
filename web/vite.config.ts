import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console's build: `web/dist`, served by the local twin at `/` and, in AWS, from S3 through
 * CloudFront on the API's origin. Pages are separate chunks loaded when first opened
 * (web/src/app/pages.ts); no inline script, so the Content-Security-Policy needs no exception.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
    sourcemap: false,
  },
  logLevel: 'warn',
});
