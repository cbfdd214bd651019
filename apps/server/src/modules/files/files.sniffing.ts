import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';

const SAMPLE_BYTES = 4100;

/**
 * Reads just enough of `body` to recognise its type, then hands back a stream that yields the
 * sample followed by the rest: nothing more than the sample is ever held in memory. An error in
 * `body` (a client that went away) surfaces in whoever reads the returned stream.
 */
export const sniffContentType = async (
  body: Readable,
): Promise<{ contentType: string; stream: Readable }> => {
  const source = (body as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < SAMPLE_BYTES) {
    const step = await source.next();
    if (step.done === true) {
      ended = true;
      break;
    }
    const chunk = typeof step.value === 'string' ? Buffer.from(step.value) : step.value;
    head.push(chunk);
    headBytes += chunk.byteLength;
  }
  const sample = Buffer.concat(head);
  const contentType = await detectContentType(sample);

  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (sample.byteLength > 0) yield sample;
      if (ended) return;
      for (;;) {
        const step = await source.next();
        if (step.done === true) return;
        yield typeof step.value === 'string' ? Buffer.from(step.value) : step.value;
      }
    } finally {
      await source.return?.();
    }
  }
  return { contentType, stream: Readable.from(replay(), { objectMode: false }) };
};

/** The client's claimed type is never used: only the bytes decide. */
export const detectContentType = async (sample: Buffer): Promise<string> => {
  const detected = await fileTypeFromBuffer(sample);
  if (detected) return detected.mime;
  if (!looksLikeUtf8Text(sample)) return 'application/octet-stream';
  return detectMarkup(sample.toString('utf8')) ?? 'text/plain';
};

/**
 * Markup a browser would run if it ever rendered it: named so, it is never previewed inline
 * (text/plain is, in a sandbox).
 */
const detectMarkup = (text: string): string | undefined => {
  const head = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 1024)
    .toLowerCase();
  if (!head.startsWith('<')) return undefined;
  if (head.includes('<svg')) return 'image/svg+xml';
  if (/<(!doctype html|html|head|body|script|iframe|style|div|meta)\b/.test(head))
    return 'text/html';
  if (head.startsWith('<?xml')) return 'application/xml';
  return 'text/html';
};

const looksLikeUtf8Text = (sample: Buffer): boolean => {
  if (sample.byteLength === 0) return false;
  if (sample.includes(0)) return false;
  // The sample may end inside a multi-byte character; drop up to three trailing bytes.
  for (let cut = 0; cut <= 3 && cut < sample.byteLength; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, sample.byteLength - cut));
      return true;
    } catch {
      // try a shorter prefix
    }
  }
  return false;
};
