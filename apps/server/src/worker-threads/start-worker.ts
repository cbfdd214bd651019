import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { transform as Transform } from 'esbuild';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A dev dependency: named through a variable so the server bundle does not pull it in (the
 * bundled worker never needs it).
 */
const DEV_ONLY_ESBUILD = 'esbuild';
const transpiled = new Map<string, Promise<URL>>();

/**
 * Running from source (tests, tsx), a worker's TypeScript is transpiled once per process into
 * node_modules/.cache, where its imports resolve as usual. Loading it through tsx instead would
 * also push a large library (PDF.js is 2 MB) through the loader in every new thread: 3-4 times
 * slower.
 */
const transpileWorker = (source: URL, name: string) => {
  const known = transpiled.get(name);
  if (known) return known;
  const made = (async () => {
    const { transform } = (await import(DEV_ONLY_ESBUILD)) as { transform: typeof Transform };
    const { code } = await transform(await fs.readFile(source, 'utf8'), {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
    });
    const nodeModules = path.dirname(
      path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')),
    );
    // Named by content: reused across runs, and concurrent processes write the same bytes.
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
    const file = path.join(nodeModules, '.cache', 'myfile', `${name}.${hash}.mjs`);
    if (!existsSync(file)) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await fs.writeFile(temporary, code);
      await fs.rename(temporary, file);
    }
    return pathToFileURL(file);
  })();
  transpiled.set(name, made);
  return made;
};

/**
 * A worker thread running `name`: the bundle (build.mjs) has each worker as an entry point of
 * that name beside cli.js, where this code sits too, or one level up when it lands in a shared
 * chunk (chunks/); from source, `source` (its .ts file) is transpiled first.
 */
export const startWorker = async ({
  name,
  source,
  options,
}: {
  name: string;
  source: URL;
  options: WorkerOptions;
}) => {
  const bundled = [`./${name}.js`, `../${name}.js`]
    .map((relative) => new URL(relative, import.meta.url))
    .find((url) => existsSync(url));
  return new Worker(bundled ?? (await transpileWorker(source, name)), options);
};
