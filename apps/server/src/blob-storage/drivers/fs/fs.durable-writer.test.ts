import { createHash } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generatedStream, patternBytes } from '../../blob-storage.test-utils.js';
import { createDurableFileWriter } from './fs.durable-writer.js';

// Small, so the files stay small while still crossing the interval a few times.
const SYNC_EVERY_BYTES = 4 * 1024 * 1024;
const options = { highWaterMark: 1024 * 1024, syncEveryBytes: SYNC_EVERY_BYTES };

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The handle's calls, in order, with `datasync`/`writev` replaceable per test. */
const recordCalls = (
  handle: FileHandle,
  overrides: Partial<Pick<FileHandle, 'datasync' | 'writev'>> = {},
) => {
  const calls: string[] = [];
  const wrap = (name: 'datasync' | 'sync' | 'close' | 'writev') => {
    const original = (overrides[name as 'datasync'] ?? handle[name].bind(handle)) as (
      ...args: unknown[]
    ) => Promise<unknown>;
    Object.assign(handle, {
      [name]: async (...args: unknown[]) => {
        calls.push(`${name}:start`);
        try {
          return await original(...args);
        } finally {
          calls.push(`${name}:end`);
        }
      },
    });
  };
  for (const name of ['datasync', 'sync', 'close', 'writev'] as const) wrap(name);
  return calls;
};

describe('durable file writer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'durable-writer-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes every byte, syncs in the background on the way, fsyncs once and closes', async () => {
    const path = join(dir, 'big');
    const size = 2 * SYNC_EVERY_BYTES + 12_345;
    const handle = await open(path, 'wx');
    const calls = recordCalls(handle);
    await pipeline(generatedStream({ size }), createDurableFileWriter(handle, options));
    expect(sha256(await readFile(path))).toBe(sha256(patternBytes(0, size)));
    expect(calls.filter((call) => call === 'datasync:start').length).toBeGreaterThanOrEqual(1);
    expect(calls.filter((call) => call === 'sync:start')).toHaveLength(1);
    // The final fsync waits for any background sync, and the close for the final fsync.
    expect(calls.slice(-4)).toEqual(['sync:start', 'sync:end', 'close:start', 'close:end']);
  });

  it('from a position, without the final fsync: writes there, waits for its background sync, closes', async () => {
    const path = join(dir, 'staged');
    const head = patternBytes(9, 1000);
    await writeFile(path, head);
    const handle = await open(path, 'r+');
    let finishSync = () => {};
    const calls = recordCalls(handle, {
      datasync: () => new Promise<void>((resolve) => (finishSync = resolve)),
    });
    const size = SYNC_EVERY_BYTES + 12_345;
    const written = pipeline(
      generatedStream({ size }),
      createDurableFileWriter(handle, { ...options, position: 1000, syncAtEnd: false }),
    );
    await vi.waitFor(() => expect(calls).toContain('datasync:start'), { timeout: 10_000 });
    finishSync();
    await written;
    const data = await readFile(path);
    expect(data.subarray(0, 1000).equals(head)).toBe(true);
    expect(sha256(data.subarray(1000))).toBe(sha256(patternBytes(0, size)));
    // The caller syncs later (a tus upload's completion): only the background sync ran.
    expect(calls).not.toContain('sync:start');
    await vi.waitFor(() => expect(calls.at(-1)).toBe('close:end'));
    expect(calls.indexOf('close:start')).toBeGreaterThan(calls.indexOf('datasync:end'));
  });

  /** writev calls that take 20 ms more each (call `failOnCall` fails), counting those at once. */
  const slowWrites = (handle: FileHandle, { failOnCall }: { failOnCall?: number } = {}) => {
    const writev = handle.writev.bind(handle);
    const seen = { inFlight: 0, most: 0, calls: 0 };
    const calls = recordCalls(handle, {
      writev: (async (buffers: NodeJS.ArrayBufferView[], position?: number) => {
        seen.calls += 1;
        const call = seen.calls;
        seen.inFlight += 1;
        seen.most = Math.max(seen.most, seen.inFlight);
        try {
          // The failing write fails at once, while the one before it is still being written.
          if (call === failOnCall)
            throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
          await new Promise((resolve) => setTimeout(resolve, 20));
          return await writev(buffers, position);
        } finally {
          seen.inFlight -= 1;
        }
      }) as FileHandle['writev'],
    });
    return { calls, seen };
  };

  it('with two writes allowed, queues the next batch while one is still being written (two at most), and syncs after both', async () => {
    const path = join(dir, 'overlapped');
    const handle = await open(path, 'wx');
    const { calls, seen } = slowWrites(handle);
    const size = 6 * 1024 * 1024 + 777;
    await pipeline(
      generatedStream({ size }),
      createDurableFileWriter(handle, { ...options, position: 0, writesInFlight: 2 }),
    );
    expect(sha256(await readFile(path))).toBe(sha256(patternBytes(0, size)));
    expect(seen.most).toBe(2);
    // The final fsync starts only once the last write has ended.
    expect(calls.lastIndexOf('writev:end')).toBeLessThan(calls.indexOf('sync:start'));
  });

  it('by default (a tus PATCH, whose file keeps what was written), writes one batch at a time', async () => {
    const path = join(dir, 'serial');
    await writeFile(path, patternBytes(9, 10));
    const handle = await open(path, 'r+');
    const { seen } = slowWrites(handle);
    const size = 3 * 1024 * 1024;
    await pipeline(
      generatedStream({ size }),
      createDurableFileWriter(handle, { ...options, position: 10 }),
    );
    expect(sha256((await readFile(path)).subarray(10))).toBe(sha256(patternBytes(0, size)));
    expect(seen.most).toBe(1);
  });

  it('a write that fails fails the stream, and the file closes once the other write has ended', async () => {
    const handle = await open(join(dir, 'eio-write'), 'wx');
    const { calls } = slowWrites(handle, { failOnCall: 2 });
    await expect(
      pipeline(
        generatedStream({ size: 8 * 1024 * 1024 }),
        createDurableFileWriter(handle, { ...options, position: 0, writesInFlight: 2 }),
      ),
    ).rejects.toThrow('EIO');
    const count = (call: string) => calls.filter((each) => each === call).length;
    await vi.waitFor(() => {
      expect(calls).toContain('close:end');
      expect(count('writev:end')).toBe(count('writev:start'));
    });
    expect(calls).not.toContain('sync:start');
    expect(calls.lastIndexOf('writev:end')).toBeLessThan(calls.indexOf('close:start'));
  });

  it('writes again what a short write left out', async () => {
    const path = join(dir, 'short');
    const handle = await open(path, 'wx');
    const writev = handle.writev.bind(handle);
    // Writes at most 1,000 bytes per call, cutting buffers mid-way.
    recordCalls(handle, {
      writev: (async (buffers: NodeJS.ArrayBufferView[]) => {
        const first = buffers[0] as Buffer;
        return writev([first.subarray(0, Math.min(1000, first.byteLength))]);
      }) as FileHandle['writev'],
    });
    const body = patternBytes(0, 10_000);
    await pipeline(
      Readable.from([body.subarray(0, 2_500), body.subarray(2_500)]),
      createDurableFileWriter(handle, { ...options, highWaterMark: 64 * 1024 }),
    );
    expect((await readFile(path)).equals(body)).toBe(true);
  });

  it('fails the stream when a background sync fails, and still closes the file', async () => {
    const handle = await open(join(dir, 'eio'), 'wx');
    const calls = recordCalls(handle, {
      datasync: async () => {
        throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      },
    });
    await expect(
      pipeline(
        generatedStream({ size: 3 * SYNC_EVERY_BYTES }),
        createDurableFileWriter(handle, options),
      ),
    ).rejects.toThrow('EIO');
    expect(calls).not.toContain('sync:start');
    expect(calls.at(-1)).toBe('close:end');
  });

  it('a body that fails mid-way closes the file only once its running sync is done', async () => {
    const handle = await open(join(dir, 'cut'), 'wx');
    let finishSync = () => {};
    const calls = recordCalls(handle, {
      datasync: () => new Promise<void>((resolve) => (finishSync = resolve)),
    });
    const source = generatedStream({
      size: 4 * SYNC_EVERY_BYTES,
      failAfterBytes: 2 * SYNC_EVERY_BYTES,
    });
    const settled = pipeline(source, createDurableFileWriter(handle, options)).then(
      () => 'finished',
      (error: unknown) => (error instanceof Error ? error.message : 'failed'),
    );
    await vi.waitFor(() => expect(source.destroyed).toBe(true), { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toContain('datasync:start');
    expect(calls).not.toContain('close:start');
    finishSync();
    expect(await settled).toBe('source failed');
    await vi.waitFor(() => expect(calls).toContain('close:end'));
    expect(calls.indexOf('close:start')).toBeGreaterThan(calls.indexOf('datasync:end'));
  });
});
