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

/** Every file and directory below `dir`, deepest first (a directory after what it holds). */
const listTree = async (dir: string): Promise<string[]> => {
  const below: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) below.push(...(await listTree(full)));
    else if (entry.isFile()) below.push(full);
  }
  return [...below, dir];
};

/**
 * fsync every file and directory below `dir`, so a new database survives a power cut. A few at
 * a time: a thousand one after the other cost seconds on a busy disk.
 */
const syncTree = async (dir: string) => {
  const paths = await listTree(dir);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < paths.length) await syncPath(paths[next++] as string);
    }),
  );
};

const syncPath = async (target: string) => {
  const handle = await fs.open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** Copies `from` into the existing directory `to`, files of a directory in parallel. */
const copyTree = async (from: string, to: string): Promise<void> => {
  const entries = await fs.readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const source = path.join(from, entry.name);
      const target = path.join(to, entry.name);
      if (entry.isDirectory()) {
        await fs.mkdir(target);
        await copyTree(source, target);
      } else if (entry.isFile()) await fs.copyFile(source, target);
    }),
  );
};

const runInitdb = async (staging: string) => {
  await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', INITDB_SCRIPT, pgliteEntryUrl(), staging],
    { maxBuffer: 16 * 1024 * 1024 },
  );
};

/**
 * Creates the database in `dataDir` when there is none yet (missing or empty directory): a copy
 * of `template` (a prepared data directory, see pglite.template.ts) when there is one, else
 * initdb in a child process. Either is made in a sibling directory that is synced and then
 * renamed into place, so a crash half-way leaves no half-made database behind. Returns how it
 * made one, or undefined when there was one already.
 */
export const initPGliteDataDir = async (
  dataDir: string,
  { template }: { template?: string | undefined } = {},
): Promise<'template' | 'initdb' | undefined> => {
  if (!(await isEmptyOrMissing(dataDir))) return undefined;
  const staging = `${dataDir}.initdb-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    if (template) await copyTree(template, staging);
    else await runInitdb(staging);
    await syncTree(staging);
    // rename() replaces an empty directory, and only an empty one.
    await fs.rename(staging, dataDir);
    await syncPath(path.dirname(dataDir));
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
  return template ? 'template' : 'initdb';
};
