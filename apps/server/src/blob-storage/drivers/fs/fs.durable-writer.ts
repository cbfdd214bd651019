import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';

/**
 * Bytes a file may gather in the page cache before they are written back in the background.
 * Each fdatasync of newly allocated blocks commits the journal and flushes the device cache, so
 * a short interval costs more than it saves: a 1 GiB curl upload took 19 s at 32 MiB, 13 s at
 * 128 MiB and 14 s with no background sync (medians of 9, interleaved, busy 2-core machine),
 * the 32 MiB interval with twice the CPU outside the event loop. 128 MiB still bounds what the
 * last fsync finds left to write.
 */
const SYNC_EVERY_BYTES = 128 * 1024 * 1024;

const toError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/**
 * `writev` may write less than it was given; what is left goes again until all of it is down.
 * At `position` when given (advancing it), else at the file's own position.
 */
const writeAll = async (handle: FileHandle, buffers: Buffer[], position?: number) => {
  let left = buffers;
  let at = position;
  while (left.length > 0) {
    const { bytesWritten } = await handle.writev(left, at);
    if (at !== undefined) at += bytesWritten;
    let skipped = 0;
    const rest: Buffer[] = [];
    for (const buffer of left) {
      const start = Math.max(0, bytesWritten - skipped);
      if (start < buffer.byteLength) rest.push(start === 0 ? buffer : buffer.subarray(start));
      skipped += buffer.byteLength;
    }
    left = rest;
  }
};

/**
 * Writes into `handle` (which it closes) and has every byte on disk when it finishes: the
 * final fsync is what lets a blob be renamed into place. On the way it asks for the written
 * bytes to be synced every `syncEveryBytes`, without waiting, as RocksDB's `bytes_per_sync`
 * does: the disk then works while the body is still arriving, and the last fsync finds little
 * left, where it would otherwise write the whole file back after the last byte (some 0.4 s per
 * GiB here, all of it added to the upload's answer).
 */
export const createDurableFileWriter = (
  handle: FileHandle,
  {
    highWaterMark,
    syncEveryBytes = SYNC_EVERY_BYTES,
    position,
    syncAtEnd = true,
    writesInFlight = 1,
  }: {
    highWaterMark: number;
    syncEveryBytes?: number;
    /** Where the first byte goes (the rest follow it); by default the file's own position. */
    position?: number;
    /**
     * How many writes may run at once (with a `position` only). 2: the next batch is queued while
     * one is still being copied into the page cache, so that side never waits for the event loop
     * to hear a write finished. Only for a file that is thrown away when the writer fails: a write
     * failing under one that succeeds past it leaves a hole, not a shorter file.
     */
    writesInFlight?: 1 | 2;
    /**
     * false: the end waits for a background sync still running but leaves the last bytes to
     * whoever fsyncs the file later (a tus PATCH: the upload's completion syncs its file).
     */
    syncAtEnd?: boolean;
  },
): Writable => {
  let next = position;
  let unsynced = 0;
  let syncing: Promise<void> | undefined;
  let syncFailure: Error | undefined;
  let writeFailure: Error | undefined;
  const writing = new Set<Promise<void>>();
  const maxInFlight = position === undefined ? 1 : writesInFlight;

  const syncInBackground = () => {
    unsynced = 0;
    syncing = handle.datasync().then(
      () => {
        syncing = undefined;
      },
      (error: unknown) => {
        syncFailure = toError(error);
        syncing = undefined;
      },
    );
  };

  const run = (work: () => Promise<void>, callback: (error?: Error | null) => void) => {
    work().then(
      () => callback(),
      (error: unknown) => callback(toError(error)),
    );
  };

  // Each write settles on its own; a failure is kept and fails the next write or the end.
  const startWrite = (buffers: Buffer[]) => {
    let bytes = 0;
    for (const buffer of buffers) bytes += buffer.byteLength;
    const at = next;
    if (next !== undefined) next += bytes;
    const write = writeAll(handle, buffers, at).then(
      () => {
        unsynced += bytes;
        // At most one sync at a time: a slow disk then slows the writes, not the memory.
        if (unsynced >= syncEveryBytes && !syncing && !writeFailure) syncInBackground();
      },
      (error: unknown) => {
        writeFailure ??= toError(error);
      },
    );
    const settled = write.then(() => {
      writing.delete(settled);
    });
    writing.add(settled);
  };

  const failure = () => writeFailure ?? syncFailure;

  return new Writable({
    highWaterMark,
    writev(chunks, callback) {
      run(async () => {
        const failed = failure();
        if (failed) throw failed;
        startWrite(chunks.map(({ chunk }) => chunk as Buffer));
        // The stream hands over the next batch as soon as there is room for another write.
        while (writing.size >= maxInFlight) await Promise.race(writing);
        const failedMeanwhile = failure();
        if (failedMeanwhile) throw failedMeanwhile;
      }, callback);
    },
    final(callback) {
      run(async () => {
        await Promise.all(writing);
        await syncing;
        const failed = failure();
        if (failed) throw failed;
        if (syncAtEnd) await handle.sync();
      }, callback);
    },
    // Never closes the file under a write or a sync still running on it.
    destroy(error, callback) {
      run(
        async () => {
          await Promise.all(writing);
          await syncing;
          await handle.close();
        },
        (closeError) => callback(error ?? closeError ?? null),
      );
    },
  });
};
