import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../app/app-error.js';
import { describeBlobStorageContract } from '../../blob-storage.contract.js';
import { generatedStream, patternBytes, readAll } from '../../blob-storage.test-utils.js';
import { createFsBlobStorage, READ_CHUNK_BYTES } from './fs.blob-storage.js';

const makeRoot = () => mkdtemp(join(tmpdir(), 'fs-blob-storage-'));

describeBlobStorageContract('fs', async () => {
  const root = await makeRoot();
  return {
    storage: createFsBlobStorage({ root }),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

describe('fs blob storage on disk', () => {
  let root: string;
  beforeEach(async () => {
    root = await makeRoot();
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads in large chunks, and a range across several chunks is exact', async () => {
    const storage = createFsBlobStorage({ root });
    const total = 3 * READ_CHUNK_BYTES + 12_345;
    await storage.put({ key: 'big/one', body: generatedStream({ size: total }) });

    const whole = await storage.get({ key: 'big/one' });
    const sizes: number[] = [];
    for await (const chunk of whole.body) sizes.push((chunk as Buffer).byteLength);
    expect(sizes).toEqual([READ_CHUNK_BYTES, READ_CHUNK_BYTES, READ_CHUNK_BYTES, 12_345]);

    // Starts just before one chunk boundary and ends just after another.
    const range = { start: READ_CHUNK_BYTES - 7, end: 3 * READ_CHUNK_BYTES + 3 };
    const ranged = await storage.get({ key: 'big/one', range });
    const length = range.end - range.start + 1;
    expect(ranged.size).toBe(length);
    const parts: Buffer[] = [];
    for await (const chunk of ranged.body) parts.push(chunk as Buffer);
    expect(parts.every((part) => part.byteLength <= READ_CHUNK_BYTES)).toBe(true);
    expect(Buffer.concat(parts).equals(patternBytes(range.start, length))).toBe(true);
  });

  it('takes a finished file into the store without a copy, leaving the file where it was', async () => {
    const storage = createFsBlobStorage({ root });
    const source = join(root, 'staged.bin');
    await writeFile(source, 'staged bytes');
    expect(await storage.putFile?.({ key: 'ab/cd/linked', path: source })).toEqual({ size: 12 });
    expect((await stat(join(root, 'ab', 'cd', 'linked'))).ino).toBe((await stat(source)).ino);
    await rm(source);
    expect((await readAll((await storage.get({ key: 'ab/cd/linked' })).body)).toString()).toBe(
      'staged bytes',
    );
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
  });

  it('shards keys into directories', async () => {
    const storage = createFsBlobStorage({ root });
    await storage.put({ key: 'ab/cd/blob', body: Readable.from([Buffer.from('x')]) });
    expect(await readdir(join(root, 'ab', 'cd'))).toEqual(['blob']);
  });

  it('leaves no temp file behind after a failed or refused put', async () => {
    const storage = createFsBlobStorage({ root });
    await expect(
      storage.put({
        key: 'a/b',
        body: generatedStream({ size: 1_000_000, failAfterBytes: 100_000 }),
      }),
    ).rejects.toThrow('source failed');
    await expect(
      storage.put({ key: 'a/c', body: generatedStream({ size: 1_000_000 }), maxBytes: 10 }),
    ).rejects.toThrow();
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
  });

  it('makes its temp and key directories again when they have gone', async () => {
    const storage = createFsBlobStorage({ root });
    await storage.put({ key: 'ab/one', body: Readable.from([Buffer.from('1')]) });
    await rm(join(root, '.tmp'), { recursive: true });
    await rm(join(root, 'ab'), { recursive: true });
    await storage.put({ key: 'ab/two', body: Readable.from([Buffer.from('2')]) });
    expect(await readdir(join(root, 'ab'))).toEqual(['two']);
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
  });

  it('does not list files in its temp directory', async () => {
    const storage = createFsBlobStorage({ root });
    await storage.ping();
    await writeFile(join(root, '.tmp', 'stale.part'), 'half an upload');
    const keys = [];
    for await (const listing of storage.list({})) keys.push(listing.key);
    expect(keys).toEqual([]);
  });

  it('sweeps staging files last written before the cutoff, or all of them', async () => {
    const storage = createFsBlobStorage({ root });
    expect(await storage.sweepStaging({})).toEqual({ removed: 0 });
    await mkdir(join(root, '.tmp'));
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const name of ['dead-1.part', 'dead-2.part']) {
      await writeFile(join(root, '.tmp', name), 'half a blob');
      await utimes(join(root, '.tmp', name), hourAgo, hourAgo);
    }
    await writeFile(join(root, '.tmp', 'in-flight.part'), 'still arriving');
    await storage.put({ key: 'ab/kept', body: Readable.from([Buffer.from('blob')]) });
    const cutoff = new Date(Date.now() - 60_000);
    expect(await storage.sweepStaging({ olderThan: cutoff })).toEqual({ removed: 2 });
    expect(await readdir(join(root, '.tmp'))).toEqual(['in-flight.part']);
    expect(await storage.sweepStaging({})).toEqual({ removed: 1 });
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
    expect(await storage.exists({ key: 'ab/kept' })).toBe(true);
  });

  it('reports a root it cannot create as unavailable', async () => {
    // A file where a directory should be fails even for root, unlike permission bits.
    await writeFile(join(root, 'not-a-dir'), '');
    const storage = createFsBlobStorage({ root: join(root, 'not-a-dir', 'blobs') });
    await expect(storage.ping()).rejects.toMatchObject({ code: 'unavailable', statusCode: 503 });
    await expect(storage.ping()).rejects.toBeInstanceOf(AppError);
  });
});
