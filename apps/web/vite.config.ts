import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * Writes `.br` and `.gz` beside every text asset once, at the highest levels, so the server
 * sends them as they are (`preCompressed`) instead of compressing on every request.
 */
const precompress = (): Plugin => {
  let outDir = 'dist';
  return {
    name: 'myfile-precompress',
    apply: 'build',
    configResolved: (config) => {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: async () => {
      const files = await readdir(outDir, { recursive: true });
      const text = files.filter((file) => /\.(m?js|css|html|svg|json|txt)$/.test(file));
      await Promise.all(
        text.map(async (file) => {
          const full = path.join(outDir, file);
          const body = await readFile(full);
          await writeFile(
            `${full}.br`,
            await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
          );
          await writeFile(`${full}.gz`, await gzipped(body, { level: 9 }));
        }),
      );
    },
  };
};

export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    // The server's CSP allows scripts from 'self' only: no inline polyfill script.
    modulePreload: { polyfill: false },
    // Source maps would publish the whole source next to the app; none in the build.
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Everything the first page needs in one script: over HTTP/1.1 (six connections, each
        // opened at a round trip's cost) ten small shared chunks queued the page's API requests.
        codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] },
      },
    },
  },
  server: { proxy: { '/api': { target: 'http://localhost:8080', ws: true } } },
});
