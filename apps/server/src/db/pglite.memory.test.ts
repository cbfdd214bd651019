import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { availableMemoryBytes, PGLITE_V8_FLAGS, pgliteSharedBuffersMb } from './database.js';
import { openPGlite } from './pglite.open.js';

const GiB = 1024 ** 3;

const repositoryRoot = path.resolve(import.meta.dirname, '../../../..');

/** The root package's `npm start` command line: how the server really runs. */
const startScript = async () => {
  const { scripts } = JSON.parse(
    await fs.readFile(path.join(repositoryRoot, 'package.json'), 'utf8'),
  ) as { scripts: { start: string } };
  return scripts.start;
};

describe('embedded database memory', () => {
  test('shared buffers are 1/1024 of the memory, between 16 and 64 MB', () => {
    expect(pgliteSharedBuffersMb(1 * GiB)).toBe(16);
    expect(pgliteSharedBuffersMb(16 * GiB)).toBe(16);
    expect(pgliteSharedBuffersMb(24 * GiB)).toBe(24);
    expect(pgliteSharedBuffersMb(64 * GiB)).toBe(64);
    expect(pgliteSharedBuffersMb(256 * GiB)).toBe(64);
  });

  test('a container limit below the machine’s memory is the memory that counts', () => {
    expect(availableMemoryBytes(64 * GiB, 2 * GiB)).toBe(2 * GiB);
    expect(availableMemoryBytes(64 * GiB, 0)).toBe(64 * GiB);
    expect(availableMemoryBytes(64 * GiB, 2 ** 64)).toBe(64 * GiB);
  });

  test('the embedded database runs with them, not PostgreSQL’s default 128 MB', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-pglite-memory-'));
    const database = await openPGlite({ dataDir: dir });
    try {
      const { rows } = await sql<{
        shared_buffers: string;
      }>`show shared_buffers`.execute(database.db);
      expect(rows[0]?.shared_buffers).toBe(`${pgliteSharedBuffersMb()}MB`);
    } finally {
      await database.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  // TurboFan's compiles leave tens of MiB in malloc arenas that an idle server never hands back.
  // The process is started with the node options `npm start` uses: Node 26 honours the flag only
  // there (Node 20 also takes it from `openPGlite`'s run-time call, for other launchers).
  test('its WebAssembly stays on the baseline compiler, however hot a query runs', async () => {
    const startCommand = (await startScript()).split('&&').at(-1)?.trim().split(/\s+/) ?? [];
    const nodeOptions = startCommand.slice(1).filter((word) => word.startsWith('--'));
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-pglite-compiler-'));
    const hotQueries = `
      import { sql } from 'kysely';
      import { openPGlite } from ${JSON.stringify(path.join(import.meta.dirname, 'pglite.open.ts'))};
      const database = await openPGlite({ dataDir: ${JSON.stringify(path.join(dir, 'db'))} });
      await sql\`create table hot (id int primary key, name text)\`.execute(database.db);
      await sql\`insert into hot select n, 'name ' || n from generate_series(1, 20000) n\`.execute(database.db);
      for (let from = 0; from < 300; from++) {
        await sql\`select * from hot where id > \${from} order by id limit 50\`.execute(database.db);
      }
      await database.close();`;
    try {
      // V8 prints a line for each function it compiles, naming the compiler.
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          ...nodeOptions,
          '--trace-wasm-compilation-times',
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          hotQueries,
        ],
        { cwd: import.meta.dirname, maxBuffer: 256 * 1024 * 1024, timeout: 170_000 },
      );
      const compilers = new Map<string, { Liftoff: number; TurboFan: number }>();
      for (const [, module = '', compiler] of stdout.matchAll(
        /Compiled function (0x[0-9a-f]+)#\d+ using (Liftoff|TurboFan)/g,
      )) {
        const counts = compilers.get(module) ?? { Liftoff: 0, TurboFan: 0 };
        counts[compiler as 'Liftoff' | 'TurboFan'] += 1;
        compilers.set(module, counts);
      }
      // PostgreSQL is the module with thousands of functions; Node's own small ones (its
      // CommonJS lexer) are compiled before any database opens.
      const [postgres] = [...compilers.values()].sort((a, b) => b.Liftoff - a.Liftoff);
      expect(postgres?.Liftoff).toBeGreaterThan(1000);
      expect(postgres?.TurboFan).toBe(0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  // Node 26 ignores the flag set at run time, and NODE_OPTIONS refuses it.
  test('npm start and the image pass the V8 flag on the command line', async () => {
    const start = await startScript();
    expect(start).toContain(`node --max-semi-space-size=4 ${PGLITE_V8_FLAGS} apps/`);
    const dockerfile = await fs.readFile(path.join(repositoryRoot, 'Dockerfile'), 'utf8');
    const command = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]';
    expect(JSON.parse(command)).toEqual([
      'node',
      PGLITE_V8_FLAGS,
      'apps/server/dist/cli.js',
      'serve',
    ]);
  });
});
