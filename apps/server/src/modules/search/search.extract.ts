import type { Readable } from 'node:stream';
import { startWorker } from '../../worker-threads/start-worker.js';
import type { ExtractWorkerInput, ExtractWorkerOutput } from './search.extract-worker.js';
import { indexableText } from './search.indexable-text.js';

const EXTRACT_WORKER_HEAP_MB = 256;

export class ExtractionRefusedError extends Error {
  override name = 'ExtractionRefusedError';
}

/** Reads at most `maxBytes`; a text file past that is indexed by its start, a PDF not at all. */
const readUpTo = async (source: Readable, maxBytes: number) => {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    total += chunk.length;
    if (total >= maxBytes) {
      source.destroy();
      break;
    }
  }
  const all = Buffer.concat(chunks);
  return { data: new Uint8Array(all.subarray(0, maxBytes)), cut: all.length > maxBytes };
};

/**
 * The text of a text file, or of a PDF extracted in a worker thread killed after `timeoutMs`.
 * A text file is decoded here: a UTF-8 decode of at most `maxChars * 4` bytes is cheaper than
 * starting a thread, which a folder of thousands of small notes would otherwise do per file.
 */
export const extractText = async ({
  source,
  kind,
  maxBytes,
  maxChars,
  timeoutMs,
}: {
  source: Readable;
  kind: 'text' | 'pdf';
  maxBytes: number;
  maxChars: number;
  timeoutMs: number;
}) => {
  const { data, cut } = await readUpTo(source, maxBytes);
  if (cut && kind === 'pdf') {
    throw new ExtractionRefusedError(`The PDF is larger than ${maxBytes} bytes.`);
  }
  if (kind === 'text') {
    // maxChars characters never take more than 4 * maxChars bytes; more bytes means more text.
    const bytes = data.subarray(0, maxChars * 4);
    const { text, truncated } = indexableText(new TextDecoder().decode(bytes), maxChars);
    return { text, truncated: truncated || cut || bytes.length < data.length };
  }
  const input: ExtractWorkerInput = { data, maxChars };
  const worker = await startWorker({
    name: 'search.extract-worker',
    source: new URL('./search.extract-worker.ts', import.meta.url),
    options: {
      workerData: input,
      transferList: [data.buffer],
      resourceLimits: { maxOldGenerationSizeMb: EXTRACT_WORKER_HEAP_MB },
    },
  });
  try {
    const output = await new Promise<ExtractWorkerOutput>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ExtractionRefusedError(`Extraction took longer than ${timeoutMs} ms.`)),
        timeoutMs,
      );
      worker.once('message', (message: ExtractWorkerOutput) => {
        clearTimeout(timer);
        resolve(message);
      });
      worker.once('error', (error) => {
        clearTimeout(timer);
        reject(new ExtractionRefusedError('The text could not be extracted.', { cause: error }));
      });
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new ExtractionRefusedError(`The extractor stopped (exit code ${code}).`));
      });
    });
    if (!output.ok) throw new ExtractionRefusedError(`No text: ${output.message}`);
    return indexableText(output.text, maxChars);
  } finally {
    await worker.terminate();
  }
};
