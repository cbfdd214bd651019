// Bundles the server's own code (and the workspace contract package, which ships as TypeScript)
// into dist/; runtime dependencies stay in node_modules.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

// `--outdir=dist/x` lets a test build its own copy while another test runs the usual one.
const outdir =
  process.argv.find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

await build({
  // The PDF renderer and the text extractor run in worker threads, which load their own files.
  entryPoints: {
    cli: 'src/cli.ts',
    'thumbnails.pdf-worker': 'src/modules/thumbnails/thumbnails.pdf-worker.ts',
    'search.extract-worker': 'src/modules/search/search.extract-worker.ts',
  },
  outdir,
  bundle: true,
  // Optional drivers (S3, Redis, mail, images) sit in chunks of their own, loaded only when the
  // configuration uses them: their dependencies then cost neither memory nor start-up time.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: Object.keys(pkg.dependencies ?? {}),
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
