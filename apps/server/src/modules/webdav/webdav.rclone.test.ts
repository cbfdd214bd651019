import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDavUser, startDavServer, type DavServer } from './webdav.test-utils.js';

const run = promisify(execFile);

/** A thousand files in nested folders with non-ASCII names, one empty and one of 50 MiB. */
const FILES = 1000;
const LARGE_BYTES = 50 * 1024 * 1024;

let server: DavServer;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  // At the default limits: a sync of a thousand files makes a few thousand calls in about a
  // minute, which WebDAV's own per-token budget must let through (the API's 600 would not).
  server = await startDavServer();
  const user = await createDavUser(server);
  dir = await mkdtemp(path.join(os.tmpdir(), 'rclone-'));
  const { stdout: obscured } = await run('rclone', ['obscure', user.token]);
  // A remote defined in the environment: rclone's documented `webdav` type, vendor `other`.
  env = {
    ...process.env,
    RCLONE_CONFIG_DIR: dir,
    RCLONE_CONFIG_MYFILE_TYPE: 'webdav',
    RCLONE_CONFIG_MYFILE_URL: `${server.origin}/dav/`,
    RCLONE_CONFIG_MYFILE_VENDOR: 'other',
    RCLONE_CONFIG_MYFILE_USER: user.email,
    RCLONE_CONFIG_MYFILE_PASS: obscured.trim(),
  };
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const rclone = async (...args: string[]) => {
  const { stderr } = await run('rclone', ['--config', path.join(dir, 'none.conf'), ...args], {
    env,
  });
  return stderr;
};

/** Every file under `root` by relative path, with its SHA-256. */
const digests = async (root: string) => {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(root, full)] = createHash('sha256')
      .update(await readFile(full))
      .digest('hex');
  }
  return out;
};

test(
  'rclone sync up, check, change, sync again, sync down: the same bytes',
  { timeout: 600_000 },
  async () => {
    const local = path.join(dir, 'local');
    const started = Date.now();
    for (let i = 0; i < FILES - 1; i++) {
      const sub = path.join(local, `dir ${i % 6}`, `ünïcödé ${i % 3}`, `日本 ${i % 4}`);
      await mkdir(sub, { recursive: true });
      await writeFile(
        path.join(sub, `file ${i} é.txt`),
        i === 0 ? '' : `content ${i}\n`.repeat(i % 97),
      );
    }
    // One large file, streamed through PUT and GET like any other.
    await writeFile(path.join(local, 'dir 0', 'large.bin'), randomBytes(LARGE_BYTES));
    await rclone('sync', local, 'myfile:backup');
    const up = (Date.now() - started) / 1000;
    expect(await rclone('check', local, 'myfile:backup')).toContain('0 differences found');

    await writeFile(
      path.join(local, 'dir 1', 'ünïcödé 1', '日本 1', 'file 1 é.txt'),
      'changed, and longer\n',
    );
    await rm(path.join(local, 'dir 2', 'ünïcödé 2', '日本 2', 'file 2 é.txt'));
    await rename(path.join(local, 'dir 3'), path.join(local, 'dir three'));
    await rclone('sync', local, 'myfile:backup');
    expect(await rclone('check', local, 'myfile:backup')).toContain('0 differences found');

    const down = path.join(dir, 'down');
    const downStarted = Date.now();
    await rclone('sync', 'myfile:backup', down);
    const downSeconds = (Date.now() - downStarted) / 1000;
    const expected = await digests(local);
    expect(Object.keys(expected)).toHaveLength(FILES - 1);
    expect(await digests(down)).toEqual(expected);
    console.log(
      `rclone: ${FILES} files (one of ${LARGE_BYTES / 1024 / 1024} MiB) synced up in ${up.toFixed(1)} s, ` +
        `down in ${downSeconds.toFixed(1)} s`,
    );
  },
);
