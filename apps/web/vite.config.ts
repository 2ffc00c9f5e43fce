import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env['PARLEY_API_URL'] ?? 'http://localhost:3000';

export default defineConfig({
  root,
  plugins: [
    react(),
    // The offline shell: a Workbox service worker precaches the built app (production build
    // only; the dev server has none), so a reload without network still opens Parley. Data never
    // goes through it: /api and /socket.io are not cached and not answered with the shell.
    VitePWA({
      // main.tsx registers it, in the production build only.
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webp,woff,woff2}'],
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api(\/|$)/, /^\/socket\.io(\/|$)/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  resolve: {
    alias: { '@': `${root}src` },
    // Compile @parley/contracts from its TypeScript source so the web never depends on a stale
    // dist/ build. Oxc honours `experimentalDecorators` from libs/contracts/tsconfig.json.
    conditions: ['@parley/source', ...defaultClientConditions],
  },
  server: {
    port: 4200,
    strictPort: true,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: true },
      '/socket.io': { target: apiTarget, changeOrigin: true, ws: true },
    },
  },
  preview: {
    port: 4300,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: true },
      '/socket.io': { target: apiTarget, changeOrigin: true, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
});
