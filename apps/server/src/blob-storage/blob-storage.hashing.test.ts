import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { createBodyHasher } from './blob-storage.hashing.js';
import { patternBytes } from './blob-storage.test-utils.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Feeds `body` in `chunkBytes` pieces, waiting whenever the hasher asks; the digest. */
const hashInPieces = async (body: Buffer, chunkBytes: number) => {
  const hasher = createBodyHasher();
  for (let at = 0; at < body.byteLength; at += chunkBytes) {
    hasher.update(body.subarray(at, at + chunkBytes));
    await hasher.ready();
  }
  return hasher.digest();
};

describe('body hasher', () => {
  it('hashes small bodies in place and large ones in its thread, to the same digests', async () => {
    for (const size of [0, 1, MiB, MiB + 1, 5 * MiB + 12_345]) {
      const body = patternBytes(0, size);
      // 100,003: pieces that straddle the thread's 1 MiB batches.
      expect(await hashInPieces(body, 100_003)).toBe(sha256(body));
    }
  });

  it('holds the body back while the thread is more than 8 MiB behind', async () => {
    const hasher = createBodyHasher();
    const piece = patternBytes(0, MiB);
    let waited = false;
    const expected = createHash('sha256');
    for (let i = 0; i < 32; i++) {
      hasher.update(piece);
      expected.update(piece);
      const waiting = hasher.ready();
      if (!waiting) continue;
      // Past the first switch-over, a wait means more than 8 MiB are still unhashed.
      if (i > 1) waited = true;
      await waiting;
    }
    // Bytes handed over without waiting once the thread is up: the bound must have stopped us.
    expect(waited).toBe(true);
    expect(await hasher.digest()).toBe(expected.digest('hex'));
  });

  it('a body that pauses (settle) and goes on hashes to the same digest, in place or in the thread', async () => {
    for (const pieces of [
      [1000, 2000],
      [3 * MiB + 5, 100_000, 2 * MiB],
      [10, 2 * MiB],
    ]) {
      const hasher = createBodyHasher();
      const body = patternBytes(
        3,
        pieces.reduce((sum, piece) => sum + piece, 0),
      );
      let at = 0;
      for (const piece of pieces) {
        hasher.update(body.subarray(at, at + piece));
        at += piece;
        await hasher.ready();
        hasher.settle();
      }
      expect(await hasher.digest()).toBe(sha256(body));
    }
  });

  it('fills the batches the thread hands back instead of new memory, and holds none when idle', async () => {
    const earlier = patternBytes(4, 12 * MiB);
    expect(await hashInPieces(earlier, 64 * 1024)).toBe(sha256(earlier));
    const body = patternBytes(5, 40 * MiB);
    const allocations = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      expect(await hashInPieces(body, 64 * 1024)).toBe(sha256(body));
      const batches = allocations.mock.calls.filter(([size]) => size === MiB);
      // The earlier body's batches were let go when it finished: this one starts afresh.
      expect(batches.length).toBeGreaterThan(0);
      // 40 batches of 1 MiB went over; at most 8 MiB are in flight, plus the one being filled.
      expect(batches.length).toBeLessThanOrEqual(10);
    } finally {
      allocations.mockRestore();
    }
  });

  it('an abandoned body does not disturb the next one', async () => {
    const abandoned = createBodyHasher();
    abandoned.update(patternBytes(0, 3 * MiB));
    await abandoned.ready();
    abandoned.abort();
    const body = patternBytes(7, 3 * MiB);
    expect(await hashInPieces(body, 64 * 1024)).toBe(sha256(body));
  });
});

/** Runs `body` (a module importing `createBodyHasher`) in a process of its own; its output. */
const runInOwnProcess = async (body: string) => {
  const dir = await mkdtemp(join(tmpdir(), 'hasher-process-'));
  try {
    const script = join(dir, 'script.mts');
    const hashing = new URL('./blob-storage.hashing.ts', import.meta.url).href;
    await writeFile(
      script,
      `import { createBodyHasher } from ${JSON.stringify(hashing)};
      ${body}`,
    );
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      timeout: 60_000,
    });
    return stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

// Idle, the thread lets the process exit; with a digest still to come, it keeps it alive.
it('a process that hashed a large body in the thread exits by itself, after the digest', async () => {
  const printed = await runInOwnProcess(
    `const hasher = createBodyHasher();
    hasher.update(Buffer.alloc(3 * 1024 * 1024, 1));
    await hasher.ready();
    console.log(await hasher.digest());`,
  );
  expect(printed).toBe(sha256(Buffer.alloc(3 * MiB, 1)));
}, 90_000);

// A tus upload between PATCHes: its body's hash stays open in the thread, awaited by nobody.
it('a body left open in the thread, with nothing awaited, does not keep the process alive', async () => {
  const printed = await runInOwnProcess(
    `const hasher = createBodyHasher();
    hasher.update(Buffer.alloc(3 * 1024 * 1024, 1));
    await hasher.ready();
    hasher.settle();
    console.log('left open');`,
  );
  expect(printed).toBe('left open');
}, 90_000);
