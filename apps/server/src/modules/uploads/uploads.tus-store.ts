import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Transform, pipeline, type Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import type { Upload } from '@tus/utils';

/** How far an upload's bytes were hashed, by this process, in the order they were written. */
type HashProgress = { hash: Hash; offset: number };

/**
 * tus's disk store, hashing each upload while its PATCHes arrive, so completion needs neither
 * a read of the staged file nor a copy of it. The running hash lives in this process only (a
 * hash state cannot be saved): an upload resumed after a restart, continued by another instance
 * or cut mid-PATCH has no hash that covers its file, and `sha256Of` reads the file once instead.
 */
export class HashingFileStore extends FileStore {
  private readonly progress = new Map<string, HashProgress>();

  stagedPathOf(id: string): string {
    const staged = path.join(this.directory, id);
    // tus ids are ours, but a path must never leave the staging directory whatever they hold.
    if (path.dirname(staged) !== path.resolve(this.directory)) throw new Error('Bad upload id.');
    return staged;
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    // Offset 0 is an empty file: a fresh hash covers it, whoever created the upload.
    const progress =
      offset === 0 ? { hash: createHash('sha256'), offset: 0 } : this.progress.get(id);
    // Held out while writing, so a write that fails leaves no hash that claims its bytes.
    this.progress.delete(id);
    if (!progress || progress.offset !== offset) return super.write(readable, id, offset);
    let hashed = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        progress.hash.update(chunk);
        hashed += chunk.byteLength;
        callback(null, chunk);
      },
    });
    // A failing request destroys the transform with its error, which fails tus's own pipeline.
    pipeline(readable, hashing, () => undefined);
    const end = await super.write(hashing, id, offset);
    if (end - offset === hashed) this.progress.set(id, { hash: progress.hash, offset: end });
    return end;
  }

  override async remove(id: string): Promise<void> {
    this.progress.delete(id);
    await super.remove(id);
  }

  /** The staged file's SHA-256 (hex): the running hash when it covers `size` bytes, else read. */
  async sha256Of(id: string, size: number): Promise<string> {
    const progress = this.progress.get(id);
    this.progress.delete(id);
    if (progress?.offset === size) return progress.hash.digest('hex');
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(this.stagedPathOf(id), {
      highWaterMark: 1024 * 1024,
    })) {
      hash.update(chunk as Buffer);
    }
    return hash.digest('hex');
  }

  override async create(upload: Upload): Promise<Upload> {
    this.progress.delete(upload.id);
    return super.create(upload);
  }
}
