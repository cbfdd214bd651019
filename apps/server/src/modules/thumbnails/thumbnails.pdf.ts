import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { transform as Transform } from 'esbuild';
import type { Readable } from 'node:stream';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { PdfWorkerInput, PdfWorkerOutput } from './thumbnails.pdf-worker.js';
import { ThumbnailRefusedError } from './thumbnails.render.js';

/** Rendered at twice the thumbnail size, so the WebP step downscales (sharper than 1:1). */
const PDF_RENDER_EDGE = 512;
const PDF_TIMEOUT_MS = 20_000;
const PDF_WORKER_HEAP_MB = 256;

/**
 * A dev dependency: named through a variable so the server bundle does not pull it in (the
 * bundled worker never needs it).
 */
const DEV_ONLY_ESBUILD = 'esbuild';
let fromSource: Promise<URL> | undefined;

/**
 * Running from source (tests, tsx), the worker's TypeScript is transpiled once per process into
 * node_modules/.cache, where its imports resolve as usual. Loading it through tsx instead would
 * also push PDF.js (2 MB) through the loader in every new thread: 3-4 times slower.
 */
const transpileWorker = () =>
  (fromSource ??= (async () => {
    const { transform } = (await import(DEV_ONLY_ESBUILD)) as { transform: typeof Transform };
    const source = await fs.readFile(
      new URL('./thumbnails.pdf-worker.ts', import.meta.url),
      'utf8',
    );
    const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node20' });
    const nodeModules = path.dirname(
      path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')),
    );
    // Named by content: reused across runs, and concurrent processes write the same bytes.
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
    const file = path.join(nodeModules, '.cache', 'myfile', `thumbnails.pdf-worker.${hash}.mjs`);
    if (!existsSync(file)) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await fs.writeFile(temporary, code);
      await fs.rename(temporary, file);
    }
    return pathToFileURL(file);
  })());

/** The bundle (build.mjs) has the worker beside itself, as its second entry point. */
const startWorker = async (options: WorkerOptions) => {
  const bundled = new URL('./thumbnails.pdf-worker.js', import.meta.url);
  return new Worker(existsSync(bundled) ? bundled : await transpileWorker(), options);
};

/**
 * PDF.js needs random access to the whole document, so the source is read into memory: at most
 * THUMBNAIL_MAX_SOURCE_BYTES, which is why larger files never get here.
 */
const readAll = async (source: Readable, maxBytes: number) => {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      source.destroy();
      throw new ThumbnailRefusedError(`The PDF is larger than ${maxBytes} bytes.`);
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
};

/** Page 1 as a PNG, rendered in a worker thread that is killed after 20 s or on too much heap. */
export const renderPdfFirstPage = async ({
  source,
  maxBytes,
  maxImagePixels,
  timeoutMs = PDF_TIMEOUT_MS,
}: {
  source: Readable;
  maxBytes: number;
  maxImagePixels: number;
  timeoutMs?: number;
}): Promise<Buffer> => {
  const data = await readAll(source, maxBytes);
  const input: PdfWorkerInput = { data, maxEdge: PDF_RENDER_EDGE, maxImagePixels };
  const worker = await startWorker({
    workerData: input,
    transferList: [data.buffer],
    resourceLimits: { maxOldGenerationSizeMb: PDF_WORKER_HEAP_MB },
  });
  try {
    const output = await new Promise<PdfWorkerOutput>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ThumbnailRefusedError(`The PDF took longer than ${timeoutMs} ms.`)),
        timeoutMs,
      );
      worker.once('message', (message: PdfWorkerOutput) => {
        clearTimeout(timer);
        resolve(message);
      });
      worker.once('error', (error) => {
        clearTimeout(timer);
        reject(new ThumbnailRefusedError('The PDF could not be rendered.', { cause: error }));
      });
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new ThumbnailRefusedError(`The PDF renderer stopped (exit code ${code}).`));
      });
    });
    if (!output.ok)
      throw new ThumbnailRefusedError(`The PDF could not be rendered: ${output.message}`);
    return Buffer.from(output.png);
  } finally {
    await worker.terminate();
  }
};
