import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'myfile.pid';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

export type DataDirLock = {
  readonly path: string;
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
};

/** What the lock file records (one value per line, like PostgreSQL's postmaster.pid). */
type LockHolder = { pid: number; startTicks: string; token: string };

/** Directories this process holds, so a second open in the same process is refused as well. */
const heldHere = new Set<string>();

/**
 * The kernel's start time of `pid` (clock ticks since boot, field 22 of /proc/PID/stat), so a
 * pid reused by another process after a crash is not mistaken for the holder. '' off Linux.
 */
const startTicksOf = async (pid: number): Promise<string> => {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The command name (field 2) may hold spaces and parentheses: count from its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? '';
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const parse = (text: string): LockHolder | undefined => {
  const [pid, startTicks, token] = text.split('\n');
  const parsed = Number(pid);
  if (!Number.isInteger(parsed) || parsed <= 0 || !token) return undefined;
  return { pid: parsed, startTicks: startTicks ?? '', token };
};

/** Whether the process named in a lock file still runs (and is the same process). */
const holderRuns = async (holder: LockHolder): Promise<boolean> => {
  // After a crash a container often gives the restarted process the same pid.
  if (holder.pid === process.pid) return false;
  if (!isAlive(holder.pid)) return false;
  if (!holder.startTicks) return true;
  const now = await startTicksOf(holder.pid);
  return now === '' || now === holder.startTicks;
};

const readOrUndefined = (file: string) =>
  fs.readFile(file, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });

/**
 * Takes DATA_DIR for this process alone: the embedded database, blobs and staging there must
 * never have two writers. The lock is a file naming our pid, made with an atomic link (never
 * overwritten); a lock whose process is gone (a crash, a kill -9) is taken over at once, as
 * PostgreSQL does with postmaster.pid.
 */
export const lockDataDir = async (
  dataDir: string,
  { onStaleLock }: { onStaleLock?: (pid: number) => void } = {},
): Promise<DataDirLock> => {
  const dir = path.resolve(dataDir);
  const lockPath = path.join(dir, LOCK_FILE);
  if (heldHere.has(dir)) throw lockedError(dir, process.pid);
  const mine: LockHolder = {
    pid: process.pid,
    startTicks: await startTicksOf(process.pid),
    token: randomBytes(12).toString('hex'),
  };
  const content = `${mine.pid}\n${mine.startTicks}\n${mine.token}\n${os.hostname()}\n${new Date().toISOString()}\n`;
  const draft = path.join(dir, `.${LOCK_FILE}.${mine.token}`);
  const handle = await fs.open(draft, 'wx', 0o644);
  try {
    await handle.writeFile(content);
    // A lock that names nobody after a power loss would refuse every later start.
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        await fs.link(draft, lockPath);
        heldHere.add(dir);
        return { path: lockPath, release: () => release(dir, lockPath, mine.token) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const seen = await readOrUndefined(lockPath);
      if (seen === undefined) continue;
      const holder = parse(seen);
      if (holder && (await holderRuns(holder))) throw lockedError(dir, holder.pid);
      await removeStaleLock(lockPath, seen, mine.token);
      if (holder) onStaleLock?.(holder.pid);
    }
    throw new DataDirLockedError(`Could not take the lock on DATA_DIR ${dir}; try again.`);
  } finally {
    await fs.rm(draft, { force: true });
  }
};

/**
 * Moves the stale file aside and checks it is the one judged stale: if another starting
 * process replaced it meanwhile, its fresh lock is put back, and the next look refuses.
 */
const removeStaleLock = async (lockPath: string, judged: string, token: string) => {
  const aside = `${lockPath}.stale-${token}`;
  try {
    await fs.rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readOrUndefined(aside);
  if (moved !== undefined && moved !== judged) {
    await fs.link(aside, lockPath).catch(() => undefined);
  }
  await fs.rm(aside, { force: true });
};

const release = async (dir: string, lockPath: string, token: string) => {
  heldHere.delete(dir);
  const seen = await readOrUndefined(lockPath);
  if (seen !== undefined && parse(seen)?.token === token) await fs.rm(lockPath, { force: true });
};

const lockedError = (dir: string, pid: number) =>
  new DataDirLockedError(
    `DATA_DIR ${dir} is in use by another My File process (pid ${pid}); stop it first, or give this process a DATA_DIR of its own.`,
  );
