import { createHash, type Hash } from 'node:crypto';
import { Transform, pipeline, type Readable } from 'node:stream';

/** How far an upload's bytes were hashed, by this process, in the order they were written. */
type HashProgress = { hash: Hash; offset: number };

/**
 * The SHA-256 of each upload, taken while its PATCHes arrive, so completion needs no second
 * pass over the staged bytes. A hash state cannot be saved: an upload resumed after a restart,
 * continued by another instance or cut mid-PATCH has no hash that covers it, and its store
 * reads the bytes once instead.
 */
export class RunningHashes {
  private readonly progress = new Map<string, HashProgress>();

  /**
   * Writes `readable` through `write`, extending the upload's hash with every byte on the way
   * when the hash so far ends exactly at `offset`.
   */
  async hashWhileWriting(
    readable: Readable,
    id: string,
    offset: number,
    write: (body: Readable) => Promise<number>,
  ): Promise<number> {
    // Offset 0 is an empty upload: a fresh hash covers it, whoever created the upload.
    const progress =
      offset === 0 ? { hash: createHash('sha256'), offset: 0 } : this.progress.get(id);
    // Held out while writing, so a write that fails leaves no hash that claims its bytes.
    this.progress.delete(id);
    if (!progress || progress.offset !== offset) return write(readable);
    let hashed = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        progress.hash.update(chunk);
        hashed += chunk.byteLength;
        callback(null, chunk);
      },
    });
    // A failing request destroys the transform with its error, which fails the store's write.
    pipeline(readable, hashing, () => undefined);
    const end = await write(hashing);
    if (end - offset === hashed) this.progress.set(id, { hash: progress.hash, offset: end });
    return end;
  }

  /** The upload's SHA-256 (hex) when this process hashed all `size` bytes of it; forgets it. */
  take(id: string, size: number): string | undefined {
    const progress = this.progress.get(id);
    this.progress.delete(id);
    return progress?.offset === size ? progress.hash.digest('hex') : undefined;
  }

  forget(id: string): void {
    this.progress.delete(id);
  }
}

/** SHA-256 (hex) of everything `body` yields. */
export const sha256OfStream = async (body: AsyncIterable<unknown>): Promise<string> => {
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk as Buffer);
  return hash.digest('hex');
};
