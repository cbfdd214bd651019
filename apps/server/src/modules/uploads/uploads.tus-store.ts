import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import type { Upload } from '@tus/utils';
import { RunningHashes, sha256OfStream } from './uploads.tus-hashes.js';

/**
 * tus's disk store, hashing each upload while its PATCHes arrive, so completion needs neither
 * a read of the staged file nor a copy of it (see `RunningHashes` for when it reads once).
 */
export class HashingFileStore extends FileStore {
  private readonly hashes = new RunningHashes();

  stagedPathOf(id: string): string {
    const staged = path.join(this.directory, id);
    // tus ids are ours, but a path must never leave the staging directory whatever they hold.
    if (path.dirname(staged) !== path.resolve(this.directory)) throw new Error('Bad upload id.');
    return staged;
  }

  override write(readable: Readable, id: string, offset: number): Promise<number> {
    return this.hashes.hashWhileWriting(readable, id, offset, (body) =>
      super.write(body, id, offset),
    );
  }

  override async remove(id: string): Promise<void> {
    this.hashes.forget(id);
    await super.remove(id);
  }

  /** The staged file's SHA-256 (hex): the running hash when it covers `size` bytes, else read. */
  async sha256Of(id: string, size: number): Promise<string> {
    return (
      this.hashes.take(id, size) ??
      sha256OfStream(createReadStream(this.stagedPathOf(id), { highWaterMark: 1024 * 1024 }))
    );
  }

  override async create(upload: Upload): Promise<Upload> {
    this.hashes.forget(upload.id);
    return super.create(upload);
  }
}
