import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';
import { constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { stripCatalogueDescriptions } from './client/tools/i18n/strip-descriptions.ts';
import { editorPrefetchList } from './client/tools/editor-prefetch.ts';

const root = fileURLToPath(new URL('./client', import.meta.url));

/** The client is a single-page app served by the Convene server from `dist/client`. */
export default defineConfig({
  root,
  // The Svelte config sits at the top, beside this file, for svelte-check too.
  plugins: [
    stripCatalogueDescriptions(),
    svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) }),
    // The editor's files, listed in index.html for the document page to prefetch (client/src/lib/editor-prefetch.ts).
    editorPrefetchList({ editor: '/src/components/editor/DocumentWorkspace.svelte', page: '/src/pages/DocumentPage.svelte' }),
    // The app shell for working offline: a service worker (sw.js, served no-cache by the server like index.html)
    // keeps the built HTML, scripts, styles and catalogues, so that a page opened before opens without a network.
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      // Registered by the app once the page has settled (client/src/lib/offline/register.ts), not at once:
      // installing downloads every file it keeps, which on a slow first visit competed with the editor.
      injectRegister: false,
      manifest: false,
      workbox: {
        // The same worker under test as in a deployment (Vitest's NODE_ENV would otherwise pick Workbox's debug build).
        mode: 'production',
        globPatterns: ['**/*.{js,css,html,svg,png,ico,woff2}'],
        globIgnores: ['**/*.map', '**/*.gz', '**/*.br'],
        // The document page's chunk and the catalogues are large; they are what offline reading needs.
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        inlineWorkboxRuntime: true,
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        // No cache-first shell: online, every page still comes from the server (its headers, no-cache + ETag);
        // only when the network fails does the stored index.html stand in, and the client routes from there.
        navigateFallback: null,
        runtimeCaching: [
          {
            urlPattern: ({ request, url }) => request.mode === 'navigate' && !/^\/(api|yjs|socket\.io)(\/|$)/.test(url.pathname),
            handler: 'NetworkOnly',
            options: { precacheFallback: { fallbackURL: 'index.html' } },
          },
          {
            // Deliberately kept, and only these: what the document page needs to open offline (who you are,
            // the document, its consultation and members). Network first: never stale while online. Removed on
            // sign-out and when another account signs in (client/src/lib/offline/device.svelte.ts, same cache name).
            // Everything else under /api, Socket.IO and the Yjs WebSocket pass straight to the network.
            urlPattern: ({ request, url }) =>
              request.method === 'GET' &&
              url.origin === self.location.origin &&
              /^\/api\/(auth\/me|documents\/[^/]+|consultations\/[^/]+(\/members)?)$/.test(url.pathname),
            handler: 'NetworkFirst',
            options: {
              cacheName: 'convene-api',
              cacheableResponse: { statuses: [200] },
              expiration: { maxEntries: 200, maxAgeSeconds: 30 * 24 * 60 * 60 },
            },
          },
        ],
      },
    }),
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
    rolldownOptions: {
      output: {
        codeSplitting: {
          // The small components and helpers the document page and most others share, in one chunk with the app's
          // frame instead of a dozen files of 1 KB: over HTTP/1.1 a browser sends six requests at a time, and on a
          // slow line each file cost the text a round trip and kept the editor's prefetch waiting for a connection.
          groups: [
            {
              name: 'page-common',
              test: /(client\/src\/(components\/(moderation\/MutedNotice|RoleBadge|DownloadLinks|ConfirmDialog|plan\/PlanExports)\.svelte|lib\/(read-only|live|download|consultation\.svelte|offline\/names)\.ts)|shared\/collab\.ts)$/,
            },
          ],
        },
      },
    },
  },
});
