import { Readable } from 'node:stream';
import { BlobTooLargeError } from './blob-storage.errors.js';
import { createBodyHasher } from './blob-storage.hashing.js';

export type MeteredBody = {
  /** Yields the body's bytes; errors with BlobTooLargeError the moment the limit is crossed. */
  stream: Readable;
  /** Valid once `stream` has ended. */
  result(): { size: number; sha256: string };
  /** Set when the failure came from the body or the limit, so drivers can tell it from a store error. */
  failure(): Error | undefined;
};

const toBuffer = (chunk: unknown): Buffer => {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array)
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk);
  throw new TypeError('Blob bodies must yield bytes.');
};

/**
 * An async generator rather than a Transform: destroying the returned stream (a driver giving
 * up) also ends the iteration over `body` and so destroys it, and an error in `body` surfaces
 * in whoever reads the stream, with no error wiring by hand.
 */
export const meterBody = (body: Readable, maxBytes?: number): MeteredBody => {
  const hasher = createBodyHasher();
  let size = 0;
  let failure: Error | undefined;
  let digest: string | undefined;

  // Only errors from reading the body or from the limit count as `failure`: a consumer that
  // destroys the stream with its own error has that error thrown in at the `yield`.
  async function* measure(): AsyncGenerator<Buffer> {
    const source = (body as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    let hashed = false;
    try {
      for (;;) {
        let step: IteratorResult<unknown>;
        try {
          step = await source.next();
        } catch (error) {
          failure =
            error instanceof Error ? error : new Error('The blob body failed.', { cause: error });
          throw failure;
        }
        if (step.done === true) {
          // The stream ends only once the digest is known, so result() may be sync.
          digest = await hasher.digest();
          hashed = true;
          return;
        }
        const chunk = toBuffer(step.value);
        size += chunk.byteLength;
        if (maxBytes !== undefined && size > maxBytes) {
          failure = new BlobTooLargeError(maxBytes);
          throw failure;
        }
        hasher.update(chunk);
        const waiting = hasher.ready();
        if (waiting) await waiting;
        yield chunk;
      }
    } finally {
      if (!hashed) hasher.abort();
      // Ends the iteration over `body`, which destroys it when it did not end by itself.
      await source.return?.();
    }
  }

  return {
    stream: Readable.from(measure(), { objectMode: false }),
    result: () => {
      if (digest === undefined) throw new Error('The body has not been read to its end.');
      return { size, sha256: digest };
    },
    failure: () => failure,
  };
};
