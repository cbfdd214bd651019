import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    // The server's CSP allows scripts from 'self' only: no inline polyfill script.
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
  server: { proxy: { '/api': { target: 'http://localhost:8080', ws: true } } },
});
