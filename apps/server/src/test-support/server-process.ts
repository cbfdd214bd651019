import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from './s3-server.js';

/** The bundled CLI (`npm run build --workspace apps/server`), as a deployment runs it. */
export const builtCliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const serverPackageDir = path.dirname(path.dirname(builtCliPath));

export type ServerProcess = {
  name: string;
  child: ChildProcess;
  /** Every line the process wrote to stdout (pino JSON logs), in order. */
  stdoutLines: string[];
  /** The end of stdout and stderr, for a failure message. */
  describe(): string;
  stop(): Promise<void>;
};

/** Starts `node dist/cli.js <args>` with exactly `env` (plus PATH and HOME), never the test's own. */
export const startServerProcess = ({
  name,
  args,
  env,
  cwd,
}: {
  name: string;
  args: string[];
  env: Record<string, string>;
  /** Also keeps a developer's `.env` from leaking in: dotenv reads the working directory. */
  cwd: string;
}): ServerProcess => {
  const child = spawn(process.execPath, [builtCliPath, ...args], {
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
  throw new Error(`${server.name} was not ready at ${url} in ${timeoutMs} ms.\n${server.describe()}`);
};
