import type * as fsPromises from 'node:fs/promises';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFsBlobStorage } from './fs.blob-storage.js';

// Records which directories the store opens to fsync; the calls themselves go through.
vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof fsPromises>();
  return { ...original, open: vi.fn(original.open) };
});

const syncedDirs = () =>
  vi
    .mocked(open)
    .mock.calls.filter(([, flags]) => flags === 'r')
    .map(([path]) => String(path));

describe('fs blob storage durability', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'fs-durability-'));
    vi.mocked(open).mockClear();
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('syncs every directory that gained an entry: new key directories, then the blob', async () => {
    const storage = createFsBlobStorage({ root });
    await storage.put({ key: 'x1/y1/blob', body: Readable.from([Buffer.from('1')]) });
    expect(syncedDirs()).toEqual([join(root, 'x1'), root, join(root, 'x1', 'y1')]);

    vi.mocked(open).mockClear();
    await storage.put({ key: 'x1/y1/other', body: Readable.from([Buffer.from('2')]) });
    expect(syncedDirs()).toEqual([join(root, 'x1', 'y1')]);

    vi.mocked(open).mockClear();
    await storage.put({ key: 'x1/y2/blob', body: Readable.from([Buffer.from('3')]) });
    expect(syncedDirs()).toEqual([join(root, 'x1'), join(root, 'x1', 'y2')]);
  });

  it('a put into a directory another put is still making waits until its entry is on disk', async () => {
    const storage = createFsBlobStorage({ root });
    const realOpen = vi.mocked(open).getMockImplementation();
    if (!realOpen) throw new Error('open is not wrapped');
    let releaseSync = () => {};
    const syncHeld = new Promise<void>((resolve) => (releaseSync = resolve));
    let syncStarted = () => {};
    const syncing = new Promise<void>((resolve) => (syncStarted = resolve));
    // Holds the sync of x1, which records the new y1 inside it.
    vi.mocked(open).mockImplementation(async (...args) => {
      if (args[0] === join(root, 'x1') && args[1] === 'r') {
        syncStarted();
        await syncHeld;
      }
      return realOpen(...args);
    });
    try {
      const first = storage.put({ key: 'x1/y1/a', body: Readable.from([Buffer.from('a')]) });
      // The first put has made the directories and is syncing them when the second comes.
      await syncing;
      let secondDone = false;
      const second = storage
        .put({ key: 'x1/y1/b', body: Readable.from([Buffer.from('b')]) })
        .then(() => (secondDone = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(secondDone).toBe(false);
      releaseSync();
      await Promise.all([first, second]);
      expect(secondDone).toBe(true);
    } finally {
      vi.mocked(open).mockImplementation(realOpen);
    }
  });
});
