import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import { constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./client', import.meta.url));

/** The client is a single-page app served by the Convene server from `dist/client`. */
export default defineConfig({
  root,
  // The Svelte config sits at the top, beside this file, for svelte-check too.
  plugins: [
    svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) }),
    // Each text file also as .br and .gz, beside it, for the server to send to browsers that accept them
    // (server/http/client.ts). Compressed once, at the highest levels: build time, not request time.
    compression({
      algorithms: [
        defineAlgorithm('brotliCompress', { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }),
        defineAlgorithm('gzip', { level: constants.Z_BEST_COMPRESSION }),
      ],
      threshold: 1024,
      logLevel: 'silent',
    }),
  ],
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // Which chunks each page needs: read by the bundle budget test (test/bundle-budget.test.ts).
    manifest: true,
    chunkSizeWarningLimit: 1024,
  },
});
