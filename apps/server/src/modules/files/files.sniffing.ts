import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';

export const SAMPLE_BYTES = 4100;

/**
 * Reads just enough of `body` to recognise its type and puts it back (`unshift`), so the same
 * stream flows on to the store: only the sample is ever held, and no extra stream layer sits
 * between the client and the store.
 */
export const sniffContentType = async (
  input: Readable,
): Promise<{ contentType: string; stream: Readable }> => {
  // read(n) counts objects, not bytes, on an object-mode stream: view it as bytes first.
  const body = input.readableObjectMode ? Readable.from(input, { objectMode: false }) : input;
  const sample = await readSample(body);
  const contentType = await detectContentType(sample);
  // Shorter than a full sample means the body ended; a fresh stream replays it.
  if (sample.byteLength < SAMPLE_BYTES) return { contentType, stream: Readable.from([sample]) };
  body.unshift(sample);
  return { contentType, stream: body };
};

/** Exactly SAMPLE_BYTES (or the whole body if shorter), read in paused mode. */
const readSample = (body: Readable) =>
  new Promise<Buffer>((resolve, reject) => {
    const cleanup = () => {
      body.off('readable', onReadable);
      body.off('end', onEnd);
      body.off('error', onError);
    };
    const onReadable = () => {
      // read(n) hands out n bytes only once n are buffered, or what is left at the end.
      const chunk = body.read(SAMPLE_BYTES) as Buffer | string | null;
      if (chunk === null) return;
      cleanup();
      resolve(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.alloc(0));
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    body.on('readable', onReadable);
    body.once('end', onEnd);
    body.once('error', onError);
  });

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
