import { unavailable, type AppError } from '../../app/app-error.js';
import { insufficientStorage } from '../../disk-space/disk-space.errors.js';
import type { DiskSpace } from '../../disk-space/disk-space.monitor.js';

type Check = { run: () => Promise<void>; failure: string };

/**
 * Readiness is worked out in the background, one round every `intervalMs`, and `/readyz`
 * answers the last round's verdict at once. Under hundreds of requests in flight a probe that
 * queued for a database connection of its own would wait behind all of them, and a load
 * balancer would take a busy but healthy task out of service.
 */
export const startReadinessProbe = ({
  checks,
  disk,
  intervalMs = 1_000,
  timeoutMs = 3_000,
}: {
  checks: Check[];
  disk: Pick<DiskSpace, 'state'>;
  intervalMs?: number;
  timeoutMs?: number;
}) => {
  let failure: AppError | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const round = async () => {
    let found: AppError | undefined;
    for (const check of checks) {
      try {
        await withTimeout(check.run(), timeoutMs);
      } catch (error) {
        found = unavailable(check.failure, error);
        break;
      }
    }
    failure = found;
  };
  const loop = async () => {
    await round();
    if (!stopped) timer = setTimeout(() => void loop(), intervalMs);
  };
  const first = loop();

  return {
    /** Throws the reason the process is not ready; the first call waits for the first round. */
    assertReady: async (): Promise<void> => {
      await first;
      if (failure) throw failure;
      if (disk.state().low) throw insufficientStorage();
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
};

/** A hung dependency must not hold a round up forever. */
const withTimeout = async (check: Promise<void>, ms: number) => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};
