import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * Creating a database runs initdb in a second WebAssembly instance of PostgreSQL; the memory
 * both instances touched (about 450 MB) is never handed back to the system by a process that
 * keeps running. So a child process creates it and exits, and the server opens the result as
 * it opens an existing database on a restart.
 */
const INITDB_SCRIPT = `
const [pgliteUrl, dataDir] = process.argv.slice(1);
const { PGlite } = await import(pgliteUrl);
const pglite = await PGlite.create({ dataDir });
await pglite.close();
`;

const pgliteEntryUrl = () =>
  pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;

const isEmptyOrMissing = async (dir: string) =>
  fs.readdir(dir).then(
    (entries) => entries.length === 0,
    (error: unknown) => {
      if ((error as { code?: string }).code === 'ENOENT') return true;
      throw error;
    },
  );

/** fsync every file and directory below `dir`, so a new database survives a power cut. */
const syncTree = async (dir: string): Promise<void> => {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await syncTree(full);
    else if (entry.isFile()) await syncPath(full);
  }
  await syncPath(dir);
};

const syncPath = async (target: string) => {
  const handle = await fs.open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/**
 * Creates the database in `dataDir` when there is none yet (missing or empty directory):
 * initdb runs in a child process, into a sibling directory that is synced and then renamed
 * into place, so a crash half-way leaves no half-made database behind. Returns whether it did.
 */
export const initPGliteDataDir = async (dataDir: string): Promise<boolean> => {
  if (!(await isEmptyOrMissing(dataDir))) return false;
  const staging = `${dataDir}.initdb-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', INITDB_SCRIPT, pgliteEntryUrl(), staging],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    await syncTree(staging);
    // rename() replaces an empty directory, and only an empty one.
    await fs.rename(staging, dataDir);
    await syncPath(path.dirname(dataDir));
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
  return true;
};
