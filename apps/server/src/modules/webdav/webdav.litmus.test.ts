import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  createDavUser,
  startDavServer,
  type DavServer,
  type DavUser,
} from './webdav.test-utils.js';

/**
 * litmus, the WebDAV conformance suite (Debian package `litmus`; .ci/run installs it), against
 * the real server over HTTP. Every test of every suite must pass, without a warning. `locks`
 * runs class 2: LOCK/UNLOCK, lock discovery and refresh, and the If header.
 */
const SUITES = ['basic', 'copymove', 'props', 'locks', 'http'];

let server: DavServer;
let user: DavUser;
let workDir: string;
beforeAll(async () => {
  server = await startDavServer();
  user = await createDavUser(server);
  workDir = await mkdtemp(path.join(os.tmpdir(), 'litmus-'));
});
afterAll(async () => {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
});

test.each(SUITES)('litmus %s: every test passes', { timeout: 120_000 }, async (suite) => {
  // litmus exits non-zero when a test fails; its report is what the assertion shows.
  const { stdout } = await promisify(execFile)(
    'litmus',
    [`${server.origin}/dav/`, user.email, user.token],
    { cwd: workDir, env: { ...process.env, TESTS: suite } },
  ).catch((error: unknown) => ({
    stdout: (error as { stdout?: string }).stdout ?? String(error),
  }));
  const summary = /summary for `(\w+)': of (\d+) tests run: (\d+) passed, (\d+) failed/.exec(
    stdout,
  );
  expect(summary, stdout).not.toBeNull();
  const [, , run, passed, failed] = summary ?? [];
  expect(
    { suite, run: Number(run), passed: Number(passed), failed: Number(failed) },
    stdout,
  ).toEqual({
    suite,
    run: Number(run),
    passed: Number(run),
    failed: 0,
  });
  // A warning is a SHOULD the server missed (a status code, a header): none is left.
  expect(stdout.split('\n').filter((line) => /WARNING/.test(line))).toEqual([]);
});
