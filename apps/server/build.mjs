// Bundles the server's own code (and the workspace contract package, which ships as TypeScript)
// into dist/; runtime dependencies stay in node_modules.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

// `--outdir=dist/x` lets a test build its own copy while another test runs the usual one.
const outdir =
  process.argv.find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
// `--no-pglite-template` skips the embedded database's template (tests that never start on a
// new embedded database do not wait for it).
const withTemplate = !process.argv.includes('--no-pglite-template');
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

await build({
  // The PDF renderer, the text extractor and large bodies' hashing run in worker threads, which
  // load their own files.
  entryPoints: {
    cli: 'src/cli.ts',
    'blob-storage.hash-worker': 'src/blob-storage/blob-storage.hash-worker.ts',
    'thumbnails.pdf-worker': 'src/modules/thumbnails/thumbnails.pdf-worker.ts',
    'search.extract-worker': 'src/modules/search/search.extract-worker.ts',
    'pglite-template-build': 'src/db/pglite.template.cli.ts',
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

// A new embedded database starts as a copy of this one (initdb and the migrations already run):
// seconds and a few hundred MB less on a first start. Made by the bundle just built, so it holds
// exactly the migrations the bundle knows; the server checks the PGlite release before using it.
if (withTemplate) {
  execFileSync(process.execPath, [
    path.join(outdir, 'pglite-template-build.js'),
    path.join(outdir, 'pglite-template'),
  ]);
}
