import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getFreePort, stopChild } from './s3-server.js';

const serverPackageDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bundles the CLI as `npm run build --workspace apps/server` does, into a directory of its own
 * under dist/ (so another test rebuilding dist/cli.js meanwhile cannot hand us half a file; the
 * dependencies still resolve from the package's node_modules). Returns the CLI's path.
 * Without the embedded database's template unless asked (making it runs initdb): a new
 * embedded database is then made by initdb, as when running from source.
 */
export const buildServerCli = async ({ pgliteTemplate = false } = {}): Promise<{
  cliPath: string;
  remove: () => Promise<void>;
}> => {
  const outdir = path.join('dist', `test-${randomBytes(4).toString('hex')}`);
  const args = [
    'build.mjs',
    `--outdir=${outdir}`,
    ...(pgliteTemplate ? [] : ['--no-pglite-template']),
  ];
  await promisify(execFile)(process.execPath, args, {
    cwd: serverPackageDir,
  });
  const absolute = path.join(serverPackageDir, outdir);
  return {
    cliPath: path.join(absolute, 'cli.js'),
    remove: () => fs.rm(absolute, { recursive: true, force: true }),
  };
};

export type ServerProcess = {
  name: string;
  child: ChildProcess;
  /** Every line the process wrote to stdout (pino JSON logs), in order. */
  stdoutLines: string[];
  /** The end of stdout and stderr, for a failure message. */
  describe(): string;
  stop(): Promise<void>;
};

/** Starts `node <cliPath> <args>` with exactly `env` (plus PATH and HOME), never the test's own. */
export const startServerProcess = ({
  cliPath,
  name,
  args,
  env,
  cwd,
  nodeArgs = [],
}: {
  cliPath: string;
  name: string;
  args: string[];
  env: Record<string, string>;
  /** Node's own flags, before the script (those NODE_OPTIONS does not take). */
  nodeArgs?: string[];
  /** Also keeps a developer's `.env` from leaking in: dotenv reads the working directory. */
  cwd: string;
}): ServerProcess => {
  const child = spawn(process.execPath, [...nodeArgs, cliPath, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A crashed test run must not leave servers behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stdoutLines: string[] = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    stdoutLines.push(...lines);
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8_000);
  });
  return {
    name,
    child,
    stdoutLines,
    describe: () =>
      `--- ${name} (pid ${child.pid ?? '?'}, exit ${String(child.exitCode ?? child.signalCode)})\n` +
      `stdout (last lines):\n${[...stdoutLines, partial].slice(-30).join('\n')}\n` +
      `stderr:\n${stderr}`,
    stop: async () => {
      process.off('exit', killOnExit);
      await stopChild(child);
    },
  };
};

/** Polls `url` until it answers 200; fails early, with the process's output, if it exits. */
export const waitForHttpOk = async (
  server: ServerProcess,
  url: string,
  timeoutMs = 30_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`${server.name} exited before it was ready.\n${server.describe()}`);
    }
    const status = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${server.name} was not ready at ${url} in ${timeoutMs} ms.\n${server.describe()}`,
  );
};

/**
 * Starts one CLI process of a scaled-out deployment: its own fresh DATA_DIR (recorded in
 * `workDirs` for the suite to remove) holding a copy of the key ring every process shares, on a
 * free port of 127.0.0.1. `env` comes first so DATA_DIR, HOST and PORT are always this process's.
 */
export const startServerInDataDir = async ({
  cliPath,
  name,
  args,
  env,
  ringDir,
  workDirs,
}: {
  cliPath: string;
  name: string;
  args: string[];
  env: Record<string, string>;
  ringDir: string;
  workDirs: string[];
}): Promise<{ server: ServerProcess; url: string }> => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `myfile-${name}-`));
  workDirs.push(dataDir);
  await fs.cp(path.join(ringDir, 'keys'), path.join(dataDir, 'keys'), { recursive: true });
  const port = await getFreePort();
  const server = startServerProcess({
    cliPath,
    name,
    args,
    cwd: dataDir,
    env: { ...env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir },
  });
  return { server, url: `http://127.0.0.1:${port}` };
};
