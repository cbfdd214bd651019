import type { Logger } from 'pino';
import { toKeyRing, type KeyRing, type KeyRingDocument } from './key-ring.models.js';

export type KeyRingHolder = {
  /** The ring as last loaded; rotation elsewhere reaches this process on the next reload. */
  current(): KeyRing;
  reload(): Promise<KeyRing>;
  stop(): void;
};

/**
 * Keeps a process's key ring fresh: `myfile keys rotate` (or the Secrets Manager rotation)
 * writes a new ring, and every running process picks it up within `intervalMs`.
 * A failed reload keeps the last good ring: an outage must not stop token verification.
 */
export const createKeyRingHolder = async ({
  load,
  intervalMs,
  logger,
}: {
  load: () => Promise<KeyRingDocument>;
  intervalMs: number;
  logger: Pick<Logger, 'warn' | 'info'>;
}): Promise<KeyRingHolder> => {
  let ring = toKeyRing(await load(), new Date());
  const reload = async () => {
    const next = toKeyRing(await load(), new Date());
    if (next.current.kid !== ring.current.kid) {
      logger.info({ kid: next.current.kid }, 'signing key ring reloaded with a new key');
    }
    ring = next;
    return ring;
  };
  const timer = setInterval(() => {
    reload().catch((error: unknown) =>
      logger.warn({ err: error }, 'cannot reload the signing key ring; keeping the last one'),
    );
  }, intervalMs);
  timer.unref();
  return { current: () => ring, reload, stop: () => clearInterval(timer) };
};
