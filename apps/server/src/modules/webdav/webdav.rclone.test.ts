import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDavUser, startDavServer, type DavServer } from './webdav.test-utils.js';

const run = promisify(execFile);

let server: DavServer;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
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
  { timeout: 300_000 },
  async () => {
    const local = path.join(dir, 'local');
    for (let i = 0; i < 120; i++) {
      const sub = path.join(local, `dir ${i % 6}`, `ünïcödé ${i % 3}`);
      await mkdir(sub, { recursive: true });
      await writeFile(path.join(sub, `file ${i} é.txt`), i === 0 ? '' : `content ${i}\n`.repeat(i));
    }
    await rclone('sync', local, 'myfile:backup');
    expect(await rclone('check', local, 'myfile:backup')).toContain('0 differences found');

    await writeFile(
      path.join(local, 'dir 1', 'ünïcödé 1', 'file 1 é.txt'),
      'changed, and longer\n',
    );
    await rm(path.join(local, 'dir 2', 'ünïcödé 2', 'file 2 é.txt'));
    await rename(path.join(local, 'dir 3'), path.join(local, 'dir three'));
    await rclone('sync', local, 'myfile:backup');
    expect(await rclone('check', local, 'myfile:backup')).toContain('0 differences found');

    const down = path.join(dir, 'down');
    await rclone('sync', 'myfile:backup', down);
    expect(await digests(down)).toEqual(await digests(local));
  },
);
