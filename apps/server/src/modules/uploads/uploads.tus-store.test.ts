import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ERRORS, Upload } from '@tus/utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HashingFileStore } from './uploads.tus-store.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('the hashing tus file store', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'tus-store-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  const staged = async (store: HashingFileStore, data: Buffer, patches: number[]) => {
    const upload = await store.create(new Upload({ id: 'one', size: data.length, offset: 0 }));
    let offset = 0;
    for (const length of patches) {
      offset = await store.write(
        Readable.from([data.subarray(offset, offset + length)]),
        upload.id,
        offset,
      );
    }
    return upload.id;
  };

  it('hashes the PATCHes as they arrive, without reading the staged file again', async () => {
    const store = new HashingFileStore({ directory });
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const id = await staged(store, data, [1024 * 1024, 1024 * 1024, 1024 * 1024 + 17]);
    // Other bytes on disk now: only a hash taken on the way in still gives the original's.
    await writeFile(store.stagedPathOf(id), Buffer.alloc(data.length));
    expect(await store.sha256Of(id, data.length)).toBe(sha256(data));
  });

  it('hashes large PATCHes (in the hashing thread) across PATCHes, and writes each at its offset', async () => {
    const MiB = 1024 * 1024;
    const store = new HashingFileStore({ directory });
    const data = randomBytes(5 * MiB + 3);
    const id = await staged(store, data, [3 * MiB, 100, 2 * MiB - 97]);
    expect(sha256(await readFile(store.stagedPathOf(id)))).toBe(sha256(data));
    await writeFile(store.stagedPathOf(id), Buffer.alloc(data.length));
    expect(await store.sha256Of(id, data.length)).toBe(sha256(data));
  });

  it('a PATCH whose staged file is gone fails as a tus write error and creates no file', async () => {
    const store = new HashingFileStore({ directory });
    const data = randomBytes(3 * 1024 * 1024);
    const id = await staged(store, data, [1024 * 1024]);
    await rm(store.stagedPathOf(id));
    await expect(
      store.write(Readable.from([data.subarray(1024 * 1024)]), id, 1024 * 1024),
    ).rejects.toMatchObject({ status_code: 500, body: ERRORS.FILE_WRITE_ERROR.body });
    await expect(readFile(store.stagedPathOf(id))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads the staged file when its hash did not see every byte', async () => {
    const MiB = 1024 * 1024;
    const data = randomBytes(3 * MiB);
    const first = new HashingFileStore({ directory });
    const id = await staged(first, data, [MiB]);
    // Another process (restarted, or a second instance) takes the next PATCH...
    const other = new HashingFileStore({ directory });
    await other.write(Readable.from([data.subarray(MiB, 2 * MiB)]), id, MiB);
    // ...and the first one the last: its hash skipped a PATCH, so it must read the file.
    await first.write(Readable.from([data.subarray(2 * MiB)]), id, 2 * MiB);
    expect(await first.sha256Of(id, data.length)).toBe(sha256(data));
    expect(await other.sha256Of(id, data.length)).toBe(sha256(data));
  });

  it('does not take a hash that stops short of the size asked', async () => {
    const store = new HashingFileStore({ directory });
    const data = randomBytes(2000);
    const id = await staged(store, data, [1000]);
    await appendFile(store.stagedPathOf(id), data.subarray(1000));
    expect(await store.sha256Of(id, data.length)).toBe(sha256(data));
  });

  it('drops the running hash when a PATCH fails half-way', async () => {
    const store = new HashingFileStore({ directory });
    const data = randomBytes(64 * 1024);
    const id = await staged(store, data, [1000]);
    const failing = new Readable({
      read() {
        this.push(data.subarray(1000, 2000));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.write(failing, id, 1000)).rejects.toBeDefined();
    // The file holds 1000 bytes plus whatever of the failed PATCH reached the disk.
    const { offset } = await store.getUpload(id);
    await store.write(Readable.from([data.subarray(offset)]), id, offset);
    expect(await store.sha256Of(id, data.length)).toBe(sha256(data));
  });
});
