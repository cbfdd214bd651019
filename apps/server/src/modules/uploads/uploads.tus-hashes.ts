import { createHash } from 'node:crypto';
import { Transform, pipeline, type Readable } from 'node:stream';
import { createBodyHasher } from '../../blob-storage/blob-storage.hashing.js';

type BodyHasher = ReturnType<typeof createBodyHasher>;

/** How far an upload's bytes were hashed, by this process, in the order they were written. */
type HashProgress = { hasher: BodyHasher; offset: number };

/**
 * The SHA-256 of each upload, taken while its PATCHes arrive, so completion needs no second
 * pass over the staged bytes. The blob store's body hasher takes it: past its first MiB in the
 * hashing thread, off the event loop, as a multipart body's. A hash state cannot be saved: an
 * upload resumed after a restart, continued by another instance or cut mid-PATCH has no hash
 * that covers it, and its store reads the bytes once instead.
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
    // Held out while writing, so a write that fails leaves no hash that claims its bytes.
    const known = this.progress.get(id);
    this.progress.delete(id);
    // Offset 0 is an empty upload: a fresh hash covers it, whoever created the upload.
    if (offset === 0) known?.hasher.abort();
    const progress = offset === 0 ? { hasher: createBodyHasher(), offset: 0 } : known;
    if (!progress || progress.offset !== offset) {
      progress?.hasher.abort();
      return write(readable);
    }
    const { hasher } = progress;
    let hashed = 0;
    // The hashing thread failed: the bytes go on unhashed, and completion reads the file.
    let lost = false;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (lost) {
          callback(null, chunk);
          return;
        }
        hasher.update(chunk);
        hashed += chunk.byteLength;
        // The thread is too far behind: the PATCH waits for it, so memory stays bounded.
        const waiting = hasher.ready();
        if (!waiting) {
          callback(null, chunk);
          return;
        }
        waiting.then(
          () => callback(null, chunk),
          () => {
            lost = true;
            callback(null, chunk);
          },
        );
      },
    });
    // A failing request destroys the transform with its error, which fails the store's write.
    pipeline(readable, hashing, () => undefined);
    let end: number;
    try {
      end = await write(hashing);
    } catch (error) {
      hasher.abort();
      throw error;
    }
    if (!lost && end - offset === hashed) {
      hasher.settle();
      this.progress.set(id, { hasher, offset: end });
    } else {
      hasher.abort();
    }
    return end;
  }

  /** The upload's SHA-256 (hex) when this process hashed all `size` bytes of it; forgets it. */
  async take(id: string, size: number): Promise<string | undefined> {
    const progress = this.progress.get(id);
    this.progress.delete(id);
    if (!progress) return undefined;
    if (progress.offset !== size) {
      progress.hasher.abort();
      return undefined;
    }
    // A hashing thread that failed meanwhile leaves the bytes to be read instead.
    return progress.hasher.digest().catch(() => undefined);
  }

  forget(id: string): void {
    this.progress.get(id)?.hasher.abort();
    this.progress.delete(id);
  }
}

/** SHA-256 (hex) of everything `body` yields. */
export const sha256OfStream = async (body: AsyncIterable<unknown>): Promise<string> => {
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk as Buffer);
  return hash.digest('hex');
};
