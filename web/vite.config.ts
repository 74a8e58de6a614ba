// Builds the single-page app into dist/: index.html plus content-hashed files under
// /assets/, so the server can cache assets for a year and index.html not at all.
import { defineConfig } from 'vite';

// The dev server forwards API and poster requests to a locally running `boxoffice serve`,
// so the page and the API share one origin as they do in production.
// (Read through globalThis so the config type-checks without Node's type definitions.)
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const apiTarget = env.BOXOFFICE_DEV_API ?? 'http://127.0.0.1:8091';

export default defineConfig({
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    // The polyfill is an inline script, which the strict Content-Security-Policy forbids.
    modulePreload: { polyfill: false },
    // Keeps CSS in files and small images out of data: URLs in stylesheets we do not control.
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/posters': apiTarget,
    },
  },
});
