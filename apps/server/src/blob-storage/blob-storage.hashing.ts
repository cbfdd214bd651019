import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-threads/start-worker.js';
import type { HashWorkerInput, HashWorkerOutput } from './blob-storage.hash-worker.js';

// Smaller bodies (most of them) are hashed in place: a thread's messages would cost more.
const OFFLOAD_AFTER_BYTES = 1024 * 1024;
// Bytes are copied into batches of this size, each handed over without a second copy.
const BATCH_BYTES = 1024 * 1024;
// Past this many bytes sent and not yet hashed, the body waits: memory stays bounded when the
// thread falls behind.
const MAX_IN_FLIGHT_BYTES = 8 * 1024 * 1024;
// Batches the thread handed back, kept for the next ones while any body is open: a fresh 1 MiB
// buffer is fresh pages, each faulted in and zeroed by the kernel, then unmapped by a GC (some
// 0.15 s per GiB). As many as can be in flight, and one being filled.
const MAX_SPARE_BATCHES = MAX_IN_FLIGHT_BYTES / BATCH_BYTES + 1;

type Session = {
  hashed(length: number): void;
  done(digest: string): void;
  failed(error: Error): void;
};

type HashThread = {
  open(session: Session): number;
  /** An empty batch: one handed back by the thread, or a new one. */
  takeBatch(): Buffer;
  send(message: HashWorkerInput): void;
  close(id: number): void;
  /** Someone awaits the thread (+1) or no longer does (-1): only then does it keep the process alive. */
  awaited(change: 1 | -1): void;
};

/** One thread for the process, started at the first large body and restarted after a crash. */
let thread: Promise<HashThread> | undefined;

const startHashThread = async (): Promise<HashThread> => {
  const worker: Worker = await startWorker({
    name: 'blob-storage.hash-worker',
    source: new URL('./blob-storage.hash-worker.ts', import.meta.url),
    options: {},
  });
  const sessions = new Map<number, Session>();
  let spares: ArrayBuffer[] = [];
  // With no body open, the spares would only hold memory until the next large one.
  const forgetSparesWhenIdle = () => {
    if (sessions.size === 0) spares = [];
  };
  let nextId = 0;
  let waiters = 0;
  // Idle between bodies it must not keep the process alive, nor while a session is open but
  // nobody waits for it (a tus upload between PATCHes); a digest or a wait still to come must.
  const refWhileAwaited = () => (waiters > 0 ? worker.ref() : worker.unref());
  const failAll = (error: Error) => {
    thread = undefined;
    for (const session of sessions.values()) session.failed(error);
    sessions.clear();
  };
  worker.on('message', (message: HashWorkerOutput) => {
    const session = sessions.get(message.id);
    if (message.type === 'hashed') {
      if (sessions.size > 0 && spares.length < MAX_SPARE_BATCHES) spares.push(message.bytes);
      session?.hashed(message.length);
      return;
    }
    if (!session) return;
    sessions.delete(message.id);
    forgetSparesWhenIdle();
    session.done(message.digest);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`The hashing thread stopped (${code}).`)));
  // After the listeners: adding a 'message' listener refs the worker again.
  refWhileAwaited();
  return {
    open: (session) => {
      nextId += 1;
      sessions.set(nextId, session);
      return nextId;
    },
    takeBatch: () => {
      const spare = spares.pop();
      return spare ? Buffer.from(spare) : Buffer.allocUnsafeSlow(BATCH_BYTES);
    },
    send: (message) => worker.postMessage(message, message.type === 'bytes' ? [message.bytes] : []),
    close: (id) => {
      if (!sessions.delete(id)) return;
      forgetSparesWhenIdle();
      worker.postMessage({ type: 'abort', id } satisfies HashWorkerInput);
    },
    awaited: (change) => {
      waiters += change;
      refWhileAwaited();
    },
  };
};

type Hasher = {
  update(chunk: Buffer): void;
  /** Resolves when the body may go on; undefined when it need not wait. */
  ready(): Promise<void> | undefined;
  digest(): Promise<string>;
  abort(): void;
  /**
   * The body stops for a while (a tus PATCH ended; the next one continues it): nothing it
   * gave stays held meanwhile. Bytes not yet handed to the thread go now, or, while the body
   * is still small enough to be hashed in place, are hashed in place, and so is the rest of it.
   */
  settle(): void;
};

const inlineHasher = (): Hasher => {
  const hash = createHash('sha256');
  return {
    update: (chunk) => hash.update(chunk),
    ready: () => undefined,
    digest: () => Promise.resolve(hash.digest('hex')),
    abort: () => undefined,
    settle: () => undefined,
  };
};

const threadHasher = (hashThread: HashThread): Hasher => {
  let inFlight = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let finish: { resolve(digest: string): void; reject(error: Error): void } | undefined;
  // Waits (for room, for the digest) this body has the thread keep the process alive for.
  let holds = 0;
  const hold = () => {
    holds += 1;
    hashThread.awaited(1);
  };
  const release = () => {
    if (holds === 0) return;
    holds -= 1;
    hashThread.awaited(-1);
  };
  const id = hashThread.open({
    hashed: (length) => {
      inFlight -= length;
      if (inFlight <= MAX_IN_FLIGHT_BYTES) wake?.();
    },
    done: (digest) => {
      if (finish) release();
      finish?.resolve(digest);
    },
    failed: (error) => {
      failure = error;
      wake?.();
      if (finish) release();
      finish?.reject(error);
    },
  });
  // A buffer of its own (never from Buffer's pool), so its memory can be handed over.
  let batch: Buffer | undefined;
  let filled = 0;
  const flush = () => {
    if (!batch || filled === 0) return;
    inFlight += filled;
    hashThread.send({ type: 'bytes', id, bytes: batch.buffer as ArrayBuffer, length: filled });
    batch = undefined;
    filled = 0;
  };
  return {
    update: (chunk) => {
      for (let at = 0; at < chunk.byteLength;) {
        batch ??= hashThread.takeBatch();
        const copied = chunk.copy(batch, filled, at);
        filled += copied;
        at += copied;
        if (filled === BATCH_BYTES) flush();
      }
    },
    ready: () => {
      if (failure) return Promise.reject(failure);
      if (inFlight <= MAX_IN_FLIGHT_BYTES) return undefined;
      hold();
      return new Promise<void>((resolve, reject) => {
        wake = () => {
          wake = undefined;
          release();
          if (failure) reject(failure);
          else resolve();
        };
      });
    },
    digest: () => {
      if (failure) return Promise.reject(failure);
      flush();
      hold();
      const digest = new Promise<string>((resolve, reject) => (finish = { resolve, reject }));
      hashThread.send({ type: 'end', id });
      return digest;
    },
    abort: () => {
      hashThread.close(id);
      while (holds > 0) release();
    },
    settle: flush,
  };
};

/**
 * SHA-256 of a body as it streams: in place while it is small, in the hashing thread once it
 * passes OFFLOAD_AFTER_BYTES, so a large upload's event loop only copies its bytes. The first
 * bytes are held (not copied) until then, since a hash cannot move between threads part-way.
 * When the thread cannot start, the body is hashed in place after all.
 */
export const createBodyHasher = (): Hasher => {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let hasher: Hasher | undefined;
  let switching: Promise<void> | undefined;
  let aborted = false;

  const switchOver = async () => {
    try {
      thread ??= startHashThread();
      hasher = threadHasher(await thread);
    } catch {
      thread = undefined;
      hasher = inlineHasher();
    }
    if (aborted) hasher.abort();
    for (const chunk of held) hasher.update(chunk);
    held = [];
  };

  return {
    update: (chunk) => {
      if (hasher) {
        hasher.update(chunk);
        return;
      }
      held.push(chunk);
      heldBytes += chunk.byteLength;
      if (heldBytes > OFFLOAD_AFTER_BYTES) switching ??= switchOver();
    },
    ready: () => (hasher ? hasher.ready() : switching),
    digest: async () => {
      await switching;
      if (!hasher) {
        hasher = inlineHasher();
        for (const chunk of held) hasher.update(chunk);
        held = [];
      }
      return hasher.digest();
    },
    abort: () => {
      aborted = true;
      held = [];
      hasher?.abort();
    },
    settle: () => {
      if (hasher) {
        hasher.settle();
        return;
      }
      // Switching over takes the held bytes with it once the thread is up; then they go on.
      if (switching) {
        void switching.then(() => hasher?.settle());
        return;
      }
      hasher = inlineHasher();
      for (const chunk of held) hasher.update(chunk);
      held = [];
    },
  };
};
