import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from './data-dir-lock.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-lock-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

/** A real process that stays alive until killed. */
const startSleeper = () => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
    stdio: 'ignore',
  });
  return child;
};

const startTicksOf = async (pid: number) => {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
};

const writeLockOf = (pid: number, startTicks = '') =>
  fs.writeFile(path.join(dir, LOCK_FILE), `${pid}\n${startTicks}\nsometoken\nhost\n2026-01-01\n`);

describe('the DATA_DIR lock', () => {
  test('writes our pid; a second taker in the same process is refused; release frees it', async () => {
    const lock = await lockDataDir(dir);
    const content = await fs.readFile(path.join(dir, LOCK_FILE), 'utf8');
    expect(content.split('\n')[0]).toBe(String(process.pid));
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    await lock.release();
    await expect(fs.stat(path.join(dir, LOCK_FILE))).rejects.toThrow(/ENOENT/);
    const again = await lockDataDir(dir);
    await again.release();
    // Nothing else is left behind.
    expect(await fs.readdir(dir)).toEqual([]);
  });

  test('a lock held by a running process refuses with one line naming the pid', async () => {
    const sleeper = startSleeper();
    try {
      const pid = sleeper.pid ?? 0;
      await writeLockOf(pid, await startTicksOf(pid));
      const refused = await lockDataDir(dir).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DataDirLockedError);
      expect((refused as Error).message).toBe(
        `DATA_DIR ${dir} is in use by another My File process (pid ${pid}); stop it first, or give this process a DATA_DIR of its own.`,
      );
      // The holder's file is untouched.
      expect(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8')).toMatch(new RegExp(`^${pid}\n`));
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  test('a lock left by a killed process is taken over at once', async () => {
    const sleeper = startSleeper();
    const pid = sleeper.pid ?? 0;
    const ticks = await startTicksOf(pid);
    const exited = new Promise((resolve) => sleeper.once('exit', resolve));
    sleeper.kill('SIGKILL');
    await exited;
    await writeLockOf(pid, ticks);
    const staleFrom: number[] = [];
    const lock = await lockDataDir(dir, { onStaleLock: (stale) => staleFrom.push(stale) });
    expect(staleFrom).toEqual([pid]);
    expect((await fs.readFile(lock.path, 'utf8')).split('\n')[0]).toBe(String(process.pid));
    await lock.release();
  });

  test('a pid now used by another process (a different start time) is a stale lock', async () => {
    const sleeper = startSleeper();
    try {
      await writeLockOf(sleeper.pid ?? 0, '1');
      const lock = await lockDataDir(dir);
      await lock.release();
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  test('our own pid in the file (a restarted container) is a stale lock', async () => {
    await writeLockOf(process.pid);
    const lock = await lockDataDir(dir);
    await lock.release();
  });

  test('release leaves a lock that is no longer ours alone', async () => {
    const lock = await lockDataDir(dir);
    await writeLockOf(12345);
    await lock.release();
    expect(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8')).toMatch(/^12345\n/);
  });

  test('many takers at once on a stale lock: exactly one wins', async () => {
    const gone = startSleeper();
    const exited = new Promise((resolve) => gone.once('exit', resolve));
    gone.kill('SIGKILL');
    await exited;
    await writeLockOf(gone.pid ?? 0);
    // Each child process tries once and reports; the lock file decides, not this process.
    const script = `
      import { lockDataDir } from ${JSON.stringify(new URL('./data-dir-lock.ts', import.meta.url).href)};
      lockDataDir(process.argv[1]).then(
        () => { console.log('won'); setTimeout(() => {}, 3000); },
        (e) => console.log(e.name),
      );`;
    const tsx = path.resolve('node_modules/.bin/tsx');
    const children = Array.from({ length: 4 }, () =>
      spawn(tsx, ['--input-type=module', '-e', script, dir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    const answers = await Promise.all(
      children.map(
        (child) =>
          new Promise<string>((resolve) => {
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => {
              out += chunk.toString();
              if (out.includes('\n')) resolve(out.trim());
            });
          }),
      ),
    );
    for (const child of children) child.kill('SIGKILL');
    expect(answers.filter((answer) => answer === 'won')).toHaveLength(1);
    expect(answers.filter((answer) => answer === 'DataDirLockedError')).toHaveLength(3);
  }, 60_000);
});
