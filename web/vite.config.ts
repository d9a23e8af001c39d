// Vite config of the dashboard: `vite build web` writes dist/web, which `discern serve` serves.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(here, '../dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    // `npx vite web` for development, proxying the API to a running `discern serve --port 8080`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
