import { statfs } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { createReserveFile } from './disk-space.reserve.js';

/** Below this much free space the reserve is given up: one WAL segment of the database. */
const RELEASE_BELOW_BYTES = 16 * 1024 * 1024;
export const RESERVE_FILE = 'reserve';

export type DiskState = {
  freeBytes: number;
  /** Under DISK_LOW_FREE_BYTES, or full: `/readyz` says so. */
  low: boolean;
  /** The reserve was released (or could not be made): new uploads are refused at once. */
  full: boolean;
  reserveHeld: boolean;
};

export type DiskSpace = {
  /** The last reading, taken in the background: never a system call on a request's path. */
  state(): DiskState;
  /** Reads again now, e.g. after a write failed for lack of space. */
  checkNow(): Promise<DiskState>;
  stop(): void;
};

/**
 * Watches the file system under DATA_DIR. When the embedded database lives there, it also
 * keeps DISK_RESERVE_BYTES back in a reserve file. Why a file and not a threshold: anything
 * may fill the disk (uploads, logs, another program), and PostgreSQL cannot run without room:
 * a delete, a move to the trash or a purge writes WAL, and a WAL segment that cannot be made
 * stops the embedded database for good (a PANIC), so nothing could be freed through the app.
 * Once the disk is nearly full the reserve is deleted, which gives the database that room
 * back, and uploads are refused before they read a byte (so they do not eat it); the reserve
 * is made again, and uploads accepted, once twice its size is free.
 */
export const startDiskSpaceMonitor = ({
  dataDir,
  reserveBytes,
  lowFreeBytes,
  logger,
  intervalMs = 2_000,
  metricsIntervalMs = 60_000,
}: {
  dataDir: string;
  /** 0: no reserve (the database is not on this disk, or the operator said so). */
  reserveBytes: number;
  /** 0: low space never makes the process unready. */
  lowFreeBytes: number;
  logger: Logger;
  intervalMs?: number;
  metricsIntervalMs?: number;
}): DiskSpace & { ready: Promise<void> } => {
  const reserve =
    reserveBytes > 0
      ? createReserveFile({ path: path.join(dataDir, RESERVE_FILE), bytes: reserveBytes })
      : undefined;
  let current: DiskState = { freeBytes: Infinity, low: false, full: false, reserveHeld: false };
  let running: Promise<DiskState> | undefined;

  const readFreeBytes = async () => {
    const stats = await statfs(dataDir);
    return stats.bavail * stats.bsize;
  };

  const adjustReserve = async (freeBytes: number, held: boolean) => {
    if (!reserve) return { freeBytes, held: false };
    if (held && freeBytes < RELEASE_BELOW_BYTES) {
      await reserve.release();
      logger.warn(
        { freeBytes, reserveBytes },
        'the disk under DATA_DIR is full: released the reserve so deletes still work; uploads are refused until space is freed',
      );
      return { freeBytes: await readFreeBytes(), held: false };
    }
    if (!held && freeBytes >= 2 * reserveBytes) {
      try {
        await reserve.make();
        logger.info({ reserveBytes }, 'disk space reserve in place; uploads accepted');
        return { freeBytes: await readFreeBytes(), held: true };
      } catch (error) {
        logger.warn({ err: error }, 'could not make the disk space reserve');
      }
    }
    return { freeBytes, held };
  };

  const check = async (): Promise<DiskState> => {
    const { freeBytes, held } = await adjustReserve(
      await readFreeBytes(),
      (await reserve?.isHeld()) ?? false,
    );
    const full = reserve !== undefined && !held;
    current = {
      freeBytes,
      full,
      reserveHeld: held,
      low: full || (lowFreeBytes > 0 && freeBytes < lowFreeBytes),
    };
    return current;
  };

  const checkNow = () => {
    running ??= check()
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'could not read the free space under DATA_DIR');
        return current;
      })
      .finally(() => (running = undefined));
    return running;
  };

  const ready = checkNow().then(() => undefined);
  const timer = setInterval(() => void checkNow(), intervalMs);
  timer.unref();
  // A log line CloudWatch (or any log pipeline) turns into a metric, like the job queue's.
  const metrics = setInterval(
    () =>
      logger.info(
        { dataDirFreeBytes: current.freeBytes, diskReserveHeld: current.reserveHeld },
        'disk space',
      ),
    metricsIntervalMs,
  );
  metrics.unref();

  return {
    ready,
    state: () => current,
    checkNow,
    stop: () => {
      clearInterval(timer);
      clearInterval(metrics);
    },
  };
};
