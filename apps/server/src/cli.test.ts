import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(serverDir, 'dist', 'cli.js');

/**
 * How long a started server may take to answer. Generous on purpose: on a loaded machine a first
 * start (initdb) has taken over a minute, and failing here would only say the machine was busy.
 * How fast a start is belongs to the bench ("memory: embedded idle", its "s to /healthz" column).
 */
const START_LIMIT_MS = 300_000;
/** The longest test starts a server twice. */
const TEST_LIMIT_MS = 2 * START_LIMIT_MS + 60_000;

/** Runs the built CLI, as the container image and `npm start` do. */
const runCli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [cli, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env },
    encoding: 'utf8',
    timeout: START_LIMIT_MS,
  });

/** Waits until `url` answers 200; fails at once, with the server's exit code, if it exits. */
const waitUntilServing = async (child: ChildProcess, url: string) => {
  const deadline = Date.now() + START_LIMIT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The server exited (${child.exitCode ?? child.signalCode}) before serving.`);
    }
    if ((await fetch(url).catch(() => undefined))?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 in time.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

let tmp: string;
beforeAll(async () => {
  const result = spawnSync(process.execPath, ['build.mjs'], { cwd: serverDir, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-cli-'));
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('myfile CLI', { timeout: TEST_LIMIT_MS }, () => {
  test('help config lists every setting with its default', () => {
    const result = runCli(['help', 'config']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('PORT\n    default: 8080');
    expect(result.stdout).toContain('DATABASE_URL');
  });

  test('a bad setting stops the process with one line naming it', () => {
    const result = runCli(['serve'], { PORT: 'eighty', DATA_DIR: tmp });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Invalid configuration: PORT must be a whole number (got "eighty").',
    );
  });

  test('an unreachable database stops the process with one clear line', () => {
    const result = runCli(['serve'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      DATA_DIR: tmp,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Cannot prepare the database: .*ECONNREFUSED/);
  });

  test('migrate applies every migration once, then reports the database up to date', () => {
    const env = { DATA_DIR: path.join(tmp, 'migrate') };
    const first = runCli(['migrate'], env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^Applied: 0001_jobs/);
    const second = runCli(['migrate'], env);
    expect(second.stdout.trim()).toBe('The database is up to date.');
    // Two cold starts of the embedded database, the first one creating it.
  });

  test('keys rotate adds a signing key to the ring on disk', async () => {
    const dataDir = path.join(tmp, 'keys');
    const result = runCli(['keys', 'rotate'], { DATA_DIR: dataDir });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^New signing key \S+; 2 key\(s\) in the ring/);
    const ring = JSON.parse(
      await fs.readFile(path.join(dataDir, 'keys', 'key-ring.json'), 'utf8'),
    ) as {
      keys: unknown[];
    };
    expect(ring.keys).toHaveLength(2);
  });

  test('an unknown command prints the usage and fails', () => {
    const result = runCli(['frobnicate']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Unknown command "frobnicate"');
  });

  test('first start on embedded defaults creates DATA_DIR, serves, and stops cleanly on SIGTERM', async () => {
    const dataDir = path.join(tmp, 'first-start');
    const port = await freePort();
    const child = spawn(process.execPath, [cli, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitUntilServing(child, `${base}/healthz`);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect((await fetch(`${base}/api/docs/`)).status).toBe(200);

      for (const sub of ['db', 'blobs', 'archive', 'keys', 'outbox']) {
        expect((await fs.stat(path.join(dataDir, sub))).isDirectory()).toBe(true);
      }
      expect((await fs.stat(path.join(dataDir, 'keys'))).mode & 0o777).toBe(0o700);
      for (const file of await fs.readdir(path.join(dataDir, 'keys'))) {
        expect((await fs.stat(path.join(dataDir, 'keys', file))).mode & 0o777).toBe(0o600);
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).not.toMatch(/Error|error/);
  });

  test('SIGUSR2 is left to diagnostics: the server logs it, keeps answering, and still stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [cli, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: path.join(tmp, 'sigusr2'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitUntilServing(child, `${base}/healthz`);
      child.kill('SIGUSR2');
      // The log line proves the signal was delivered before the process is asked again.
      await expect.poll(() => output, { timeout: 10_000 }).toContain('left to diagnostics');
      expect(output).not.toContain('shutting down');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect(child.exitCode).toBeNull();
      expect(child.signalCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('shutting down');
  });

  test('under umask 022, DATA_DIR and everything in it (database, blobs, staging, keys) is owner-only: dirs 0700, files 0600', async () => {
    const dataDir = path.join(tmp, 'modes');
    const port = await freePort();
    // The shell's umask is the one a service manager or a terminal would hand the process.
    const child = spawn(
      'sh',
      ['-c', 'umask 022 && exec "$0" "$@"', process.execPath, cli, 'serve'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitUntilServing(child, `${base}/healthz`);
      const csrf = await fetch(`${base}/api/auth/csrf`);
      const preCookie = csrf.headers
        .getSetCookie()
        .map((cookie) => cookie.split(';')[0])
        .join('; ');
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const registered = await fetch(`${base}/api/auth/register`, {
        method: 'POST',
        headers: {
          cookie: preCookie,
          'x-csrf-token': csrfToken,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ email: 'modes@example.com', password: 'correct horse modes 7c1f' }),
      });
      expect(registered.status).toBe(201);
      const cookie = registered.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const session = {
        cookie,
        'x-csrf-token': ((await registered.json()) as { csrfToken: string }).csrfToken,
      };
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('owner only')]), 'secret.txt');
      const uploaded = await fetch(`${base}/api/folders/root/files`, {
        method: 'POST',
        headers: session,
        body: form,
      });
      expect(uploaded.status).toBe(201);
      // An unfinished resumable upload leaves bytes in staging.
      const staged = await fetch(`${base}/api/uploads`, {
        method: 'POST',
        headers: {
          ...session,
          'tus-resumable': '1.0.0',
          'upload-length': '100',
          'upload-metadata': `filename ${Buffer.from('half.bin').toString('base64')}`,
          'content-type': 'application/offset+octet-stream',
        },
        body: Buffer.alloc(40),
      });
      expect(staged.status).toBe(201);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);

    const loose: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      const mode = (await fs.stat(dir)).mode & 0o777;
      if (mode !== 0o700) loose.push(`${dir} ${mode.toString(8)}`);
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (((await fs.stat(full)).mode & 0o777) !== 0o600) {
          loose.push(`${full} ${((await fs.stat(full)).mode & 0o777).toString(8)}`);
        }
      }
    };
    await walk(dataDir);
    expect(loose).toEqual([]);
    const entries = await fs.readdir(dataDir, { recursive: true });
    expect(entries.some((entry) => entry.startsWith(`blobs${path.sep}`))).toBe(true);
    expect(entries.some((entry) => entry.startsWith(`uploads${path.sep}`))).toBe(true);
    expect(entries.some((entry) => entry.startsWith(`db${path.sep}`))).toBe(true);
  });

  test('a second process on the same DATA_DIR is refused with one line; after a kill -9 the next start takes over', async () => {
    const dataDir = path.join(tmp, 'locked');
    const serve = async () => {
      const port = await freePort();
      const child = spawn(process.execPath, [cli, 'serve'], {
        env: {
          PATH: process.env.PATH ?? '',
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await waitUntilServing(child, `http://127.0.0.1:${port}/readyz`);
      return { child, exited, stderr: () => stderr };
    };
    const first = await serve();
    try {
      const second = runCli(['serve'], { DATA_DIR: dataDir, PORT: String(await freePort()) });
      expect(second.status).toBe(1);
      expect(second.stderr.trim()).toBe(
        `DATA_DIR ${dataDir} is in use by another My File process (pid ${first.child.pid}); stop it first, or give this process a DATA_DIR of its own.`,
      );
      const migrate = runCli(['migrate'], { DATA_DIR: dataDir });
      expect(migrate.status).toBe(1);
      expect(migrate.stderr).toMatch(/is in use by another My File process/);
    } finally {
      first.child.kill('SIGKILL');
    }
    await first.exited;
    const restarted = await serve();
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    expect(restarted.stderr()).toBe('');
    // A clean stop leaves no lock behind.
    await expect(fs.stat(path.join(dataDir, 'myfile.pid'))).rejects.toThrow(/ENOENT/);
  });

  test('worker mode runs jobs, answers only /healthz, logs queue metrics, and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [cli, 'worker'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: path.join(tmp, 'worker'),
        LOG_LEVEL: 'info',
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await expect
      .poll(() => output, { timeout: START_LIMIT_MS, interval: 100 })
      .toContain('My File worker started');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(404);
    await expect
      .poll(() => output, { timeout: 10_000 })
      .toMatch(/"queueDepth":0,"oldestJobAgeSeconds":0/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  test('with MIGRATE_ON_START=false an unmigrated database stops the process with one line', () => {
    const result = runCli(['serve'], {
      DATA_DIR: path.join(tmp, 'no-migrate'),
      MIGRATE_ON_START: 'false',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^Cannot prepare the database: The database needs migrations 0001_jobs.*; run `myfile migrate` first\.$/,
    );
  });

  test('the bundle imports only packages the server declares as runtime dependencies', async () => {
    const pkg = JSON.parse(await fs.readFile(path.join(serverDir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const result = await build({
      entryPoints: [path.join(serverDir, 'src/cli.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      external: Object.keys(pkg.dependencies),
      logLevel: 'silent',
    });
    const imported = new Set(
      Object.values(result.metafile.outputs)
        .flatMap((output) => output.imports)
        .filter((entry) => entry.external && !entry.path.startsWith('node:'))
        .map((entry) =>
          entry.path
            .split('/')
            .slice(0, entry.path.startsWith('@') ? 2 : 1)
            .join('/'),
        ),
    );
    // Anything bundled from node_modules instead of declared would vanish under `npm ci --omit=dev`.
    const bundledFromNodeModules = Object.keys(result.metafile.inputs).filter(
      (input) => input.includes('node_modules') && !input.includes('node_modules/@myfile/'),
    );
    expect(bundledFromNodeModules).toEqual([]);
    for (const name of imported) expect(Object.keys(pkg.dependencies)).toContain(name);
  });
});
