import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Everything this process creates is its owner's alone: directories 0700, files 0600, whatever
 * umask the service was started with. The embedded database, the stores and tus staging create
 * their files with the process umask, which is the one setting that reaches all of them.
 */
export const restrictNewFileModes = () => {
  process.umask(0o077);
};

/**
 * The embedded defaults' layout, owner-only: DATA_DIR holds the database, every file's bytes
 * and the signing keys. Tightened on every start, so a DATA_DIR made by hand is covered too.
 */
export const ensureDataDir = async (dataDir: string) => {
  for (const dir of [
    dataDir,
    ...['db', 'blobs', 'archive', 'outbox', 'keys', 'uploads'].map((sub) =>
      path.join(dataDir, sub),
    ),
  ]) {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.chmod(dir, 0o700);
  }
};

/** Directories 0700 and files 0600 all the way down, for files made with modes of their own. */
export const makeOwnerOnly = async (dir: string): Promise<void> => {
  await fs.chmod(dir, 0o700);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await makeOwnerOnly(full);
    else if (entry.isFile()) await fs.chmod(full, 0o600);
  }
};
