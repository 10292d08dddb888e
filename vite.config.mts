// Builds the renderer (src-renderer) into dist/renderer. Electron loads it from file://, so every URL in the
// build is relative (base './'); browser mode serves the same files from the loopback server.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * plotly.js-dist-min finds the global object with `this || new Function("return this")()`. Under our CSP
 * (no 'unsafe-eval') the `new Function` is refused and Chromium logs a CSP violation on every start even
 * though plotly catches it; `globalThis` is what that expression means in every browser we ship to.
 */
function plotlyWithoutEval(): Plugin {
  const evalGlobal = 'new Function("return this")()';
  return {
    name: 'gaitlab:plotly-without-eval',
    transform(code, id) {
      if (!id.includes('plotly.js-dist-min') || !code.includes(evalGlobal)) return null;
      return { code: code.split(evalGlobal).join('globalThis'), map: null };
    },
  };
}

/**
 * The dev server's React refresh preamble is an inline script and HMR talks over ws://localhost; the CSP in
 * index.html forbids both. In `vite` (serve) only, the policy is relaxed for that; `vite build` keeps it strict.
 */
function devServerCsp(): Plugin {
  return {
    name: 'gaitlab:dev-server-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* http://localhost:*");
    },
  };
}

// `GAITLAB_API=http://127.0.0.1:PORT npx vite` proxies the API of a running `gaitlab serve` for UI work;
// open the dev page with the server's `#token=…`.
const apiTarget = process.env.GAITLAB_API;

export default defineConfig({
  root: 'src-renderer',
  base: './',
  publicDir: false,
  plugins: [react(), plotlyWithoutEval(), devServerCsp()],
  build: {
    outDir: `${repoRoot}dist/renderer`,
    emptyOutDir: true,
    // plotly alone is ~4.8 MB minified; it is loaded lazily by the trial viewer, so the warning says nothing useful.
    chunkSizeWarningLimit: 6000,
    sourcemap: false,
  },
  server: apiTarget
    ? {
        host: '127.0.0.1',
        proxy: {
          '/api': { target: apiTarget },
          '/upload': { target: apiTarget },
          '/ws': { target: apiTarget.replace(/^http/, 'ws'), ws: true },
        },
      }
    : { host: '127.0.0.1' },
});
