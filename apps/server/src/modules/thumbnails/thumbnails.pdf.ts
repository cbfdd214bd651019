import type { Readable } from 'node:stream';
import { startWorker } from '../../worker-threads/start-worker.js';
import type { PdfWorkerInput, PdfWorkerOutput } from './thumbnails.pdf-worker.js';
import { ThumbnailRefusedError } from './thumbnails.render.js';

/** Rendered at twice the thumbnail size, so the WebP step downscales (sharper than 1:1). */
const PDF_RENDER_EDGE = 512;
const PDF_TIMEOUT_MS = 20_000;
const PDF_WORKER_HEAP_MB = 256;

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
    name: 'thumbnails.pdf-worker',
    source: new URL('./thumbnails.pdf-worker.ts', import.meta.url),
    options: {
      workerData: input,
      transferList: [data.buffer],
      resourceLimits: { maxOldGenerationSizeMb: PDF_WORKER_HEAP_MB },
    },
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
