import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { ERRORS, type Upload } from '@tus/utils';
import { createDurableFileWriter } from '../../blob-storage/drivers/fs/fs.durable-writer.js';
import { RunningHashes, sha256OfStream } from './uploads.tus-hashes.js';

// As the disk blob store's puts: the disk writes one batch while the next arrives.
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;

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
      this.writeStaged(body, id, offset),
    );
  }

  /**
   * A PATCH's bytes into the staged file from `offset`, through the blob store's durable writer
   * (large batched writes, a background fdatasync every 128 MiB) instead of tus's write stream
   * (a write per 16-64 KiB chunk and no sync until completion, whose fsync then wrote the whole
   * file back after the last byte). A PATCH ends without an fsync of its own, as tus's store's
   * did: the completion fsyncs the staged file before the upload is acknowledged as a file.
   */
  private async writeStaged(body: Readable, id: string, offset: number): Promise<number> {
    let received = 0;
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.byteLength;
        callback(null, chunk);
      },
    });
    try {
      const handle = await open(this.stagedPathOf(id), 'r+');
      await pipeline(
        body,
        counting,
        createDurableFileWriter(handle, {
          highWaterMark: WRITE_BUFFER_BYTES,
          position: offset,
          syncAtEnd: false,
        }),
      );
    } catch (error) {
      // tus answers an error by its status_code and body, as for its own store's failed write.
      throw Object.assign(new Error('The staged upload could not be written.', { cause: error }), {
        ...ERRORS.FILE_WRITE_ERROR,
      });
    }
    return offset + received;
  }

  override async remove(id: string): Promise<void> {
    this.hashes.forget(id);
    await super.remove(id);
  }

  /** The staged file's SHA-256 (hex): the running hash when it covers `size` bytes, else read. */
  async sha256Of(id: string, size: number): Promise<string> {
    return (
      (await this.hashes.take(id, size)) ??
      sha256OfStream(createReadStream(this.stagedPathOf(id), { highWaterMark: 1024 * 1024 }))
    );
  }

  override async create(upload: Upload): Promise<Upload> {
    this.hashes.forget(upload.id);
    return super.create(upload);
  }
}
