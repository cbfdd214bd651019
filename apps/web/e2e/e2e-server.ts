import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

export type E2eServer = { baseUrl: string; stop(): Promise<void> };

/**
 * Builds the web app and the server bundle once for the whole run (the e2e project's global
 * setup): every test file then serves the same build, as `npm start` would.
 */
export const buildApp = () => {
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build: the
  // browser must get what `npm start` serves.
  const build = spawnSync('npm', ['run', 'build'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) throw new Error(`The build failed:\n${build.stdout}\n${build.stderr}`);
};

/**
 * Runs the built `myfile serve` as a user would (buildApp ran first).
 * `publicHost` serves it under another name than 127.0.0.1 (the browser maps that name to
 * 127.0.0.1 with `--host-resolver-rules`), as a NAS on the LAN is reached.
 */
export const startE2eServer = async ({
  env = {},
  publicHost = '127.0.0.1',
  port: chosenPort,
}: {
  env?: Record<string, string>;
  publicHost?: string;
  /** A port picked beforehand (freePort), when something must know the address first. */
  port?: number;
} = {}): Promise<E2eServer> => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-e2e-'));
  const port = chosenPort ?? (await freePort());
  const baseUrl = `http://${publicHost}:${port}`;
  const localUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.join(repoRoot, 'apps/server/dist/cli.js'), 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await fetch(`${localUrl}/readyz`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('The server did not become ready within 60 s.');
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  return {
    baseUrl,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
};
