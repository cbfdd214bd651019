import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

const CHUNK_SIZE = 64 * 1024;

/** Deterministic and not periodic on power-of-two boundaries, so an off-by-N range shows. */
export const byteAt = (position: number): number =>
  (position % 251) ^ (Math.floor(position / 251) & 0xff);

export const patternBytes = (offset: number, length: number): Buffer => {
  const buffer = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i += 1) buffer[i] = byteAt(offset + i);
  return buffer;
};

/**
 * A generated body, produced chunk by chunk so multi-MiB tests never hold the whole blob.
 * `failAfterBytes` destroys it with `failWith` once that much has been pushed; `size: Infinity`
 * never ends.
 */
export const generatedStream = (args: {
  size: number;
  failAfterBytes?: number;
  failWith?: Error;
}): Readable => {
  let offset = 0;
  return new Readable({
    read() {
      if (args.failAfterBytes !== undefined && offset >= args.failAfterBytes) {
        this.destroy(args.failWith ?? new Error('source failed'));
        return;
      }
      if (offset >= args.size) {
        this.push(null);
        return;
      }
      const length = Math.min(CHUNK_SIZE, args.size - offset);
      this.push(patternBytes(offset, length));
      offset += length;
    },
  });
};

export const sha256OfPattern = (size: number): string => {
  const hash = createHash('sha256');
  for (let offset = 0; offset < size; offset += CHUNK_SIZE) {
    hash.update(patternBytes(offset, Math.min(CHUNK_SIZE, size - offset)));
  }
  return hash.digest('hex');
};

export const sha256Of = (data: Buffer | string): string =>
  createHash('sha256').update(data).digest('hex');

export const readAll = async (body: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
};

export const hashStream = async (body: Readable): Promise<{ size: number; sha256: string }> => {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { size, sha256: hash.digest('hex') };
};

export const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
};
