/**
 * Builds the wall (client/) into dist/client, which the server serves. `npm run dev:client`
 * runs Vite's dev server against a server already listening on PORT (default 8080).
 */
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const server = `http://localhost:${process.env.PORT ?? 8080}`;

export default defineConfig({
  root: 'client',
  plugins: [svelte()],
  build: { outDir: '../dist/client', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: {
    proxy: {
      // The Host header is kept: the server refuses changes whose Origin is another host. `^/api/`
      // and not `/api`, which would also catch the page's own module `/api.ts`.
      '/socket.io': { target: server, ws: true },
      '^/api/': { target: server, changeOrigin: false },
      '/geo': { target: server, changeOrigin: false },
      '/config.json': { target: server, changeOrigin: false },
    },
  },
});
