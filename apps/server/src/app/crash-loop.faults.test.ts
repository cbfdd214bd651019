import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createBlobStorage } from '../blob-storage/blob-storage.factory.js';
import { parseStorageUrl } from '../blob-storage/blob-storage.url.js';
import type { DatabaseHandle } from '../db/database.js';
import { openPGlite } from '../db/pglite.open.js';
import { multipartBody } from '../modules/nodes/nodes.test-utils.js';
import { createHttpBrowser, type HttpBrowser } from '../test-support/http-browser.js';
import {
  createTestBucket,
  fromSharedS3Server,
  getFreePort,
  storageUrlOf,
  type TestBucket,
} from '../test-support/s3-server.js';
import {
  buildServerCli,
  startServerProcess,
  waitForHttpOk,
  type ServerProcess,
} from '../test-support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { testPostgresUrl, withDatabaseName } from '../test-support/test-services.js';

/**
 * The crash loop: a real `myfile serve` process takes concurrent uploads (1 KiB to 50 MiB, new
 * files and replacements) and is SIGKILLed at random moments, then started again on the same
 * data, KILLS times. Afterwards every upload that got its 201 downloads byte-identical (a
 * replacement: its content, or that of a later one whose answer the kill swallowed), every file
 * row has its blob, the usage is the sum of the sizes, and no staging survives.
 */
const KILLS = 10;
const CLIENTS = 4;
const PUBLIC_URL = 'http://localhost:3998';
const KiB = 1024;
const MiB = 1024 * KiB;

const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Mostly small files, one in six between 1 and 50 MiB (log-uniform within each band). */
const randomSize = () => {
  const [low, high] = randomInt(6) === 0 ? [MiB, 50 * MiB] : [KiB, 256 * KiB];
  return Math.round(Math.exp(Math.log(low) + Math.random() * Math.log(high / low)));
};

/** One name's history: the content its last 201 acknowledged, and attempts sent after it. */
type NameState = { fileId: string; acknowledged: string; unanswered: string[]; size: number };

type Backend = {
  label: string;
  env: Record<string, string>;
  /** The database to check rows against; PGlite's only opens once the server has stopped. */
  openDatabase(): Promise<{ db: DatabaseHandle['db']; release(): Promise<void> }>;
  storageUrl: string;
  /** Staging the kills left: `.part` files, or unfinished multipart uploads. */
  countStaging(): Promise<number>;
  /** Whatever turns that staging into nothing: the start itself, or the sweep job. */
  clearStaging(): Promise<void>;
  close(): Promise<void>;
};

let build: Awaited<ReturnType<typeof buildServerCli>>;
beforeAll(async () => {
  build = await buildServerCli();
}, 120_000);
afterAll(async () => {
  await build?.remove();
});

const stagingFilesIn = async (dataDir: string) => {
  let count = 0;
  for (const store of ['blobs', 'archive']) {
    const entries = await fs.readdir(path.join(dataDir, store, '.tmp')).catch(() => []);
    count += entries.length;
  }
  return count;
};

const embeddedBackend = async (dataDir: string): Promise<Backend> => ({
  label: 'PGlite + disk',
  env: {},
  openDatabase: async () => {
    const handle = await openPGlite({ dataDir: path.join(dataDir, 'db') });
    return { db: handle.db, release: () => handle.close() };
  },
  storageUrl: `file://${path.join(dataDir, 'blobs')}`,
  countStaging: () => stagingFilesIn(dataDir),
  // The start cleans DATA_DIR's staging before it serves: nothing to do but look.
  clearStaging: async () => {},
  close: async () => {},
});

const servicesBackend = async (dataDir: string): Promise<Backend> => {
  const database: TestDatabase = await createTestDatabase();
  const shared = inject('s3TestServer');
  if (!shared) throw new Error('The crash loop on S3 needs the run’s S3 server (TEST_SERVICES=1).');
  const bucket: TestBucket = await createTestBucket(fromSharedS3Server(shared));
  const multipartUploads = async () =>
    (await bucket.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.config.bucket })))
      .Uploads?.length ?? 0;
  return {
    label: `PostgreSQL + S3 (${shared.kind})`,
    env: {
      DATABASE_URL: withDatabaseName(testPostgresUrl(), database.name),
      STORAGE_URL: storageUrlOf(bucket.config),
    },
    openDatabase: () => Promise.resolve({ db: database.db, release: async () => {} }),
    storageUrl: storageUrlOf(bucket.config),
    countStaging: async () => (await multipartUploads()) + (await stagingFilesIn(dataDir)),
    // A bucket is shared, so a start leaves it alone: the hourly sweep job aborts them. It is
    // made due now. (moto dates every upload 2010-11-10, so all count as a day old.)
    clearStaging: async () => {
      await database.db
        .updateTable('job_schedules')
        .set({ next_run_at: sql<Date>`now()` })
        .where('name', '=', 'sweep-staging')
        .execute();
      await expect
        .poll(async () => (await multipartUploads()) + (await stagingFilesIn(dataDir)), {
          timeout: 30_000,
          interval: 250,
        })
        .toBe(0);
    },
    close: async () => {
      await bucket.cleanup();
      await database.close();
    },
  };
};

const runCrashLoop = async (makeBackend: (dataDir: string) => Promise<Backend>) => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-crash-loop-'));
  const backend = await makeBackend(dataDir);
  const port = await getFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const processes: ServerProcess[] = [];
  const start = async () => {
    const server = startServerProcess({
      cliPath: build.cliPath,
      name: `serve-${processes.length + 1}`,
      args: ['serve'],
      cwd: dataDir,
      env: {
        PUBLIC_URL,
        TRUST_PROXY: '1',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        ...backend.env,
      },
    });
    processes.push(server);
    await waitForHttpOk(server, `${baseUrl}/readyz`, 90_000);
    return server;
  };
  const kill = async (server: ServerProcess) => {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await exited;
    // Drops its exit hook, so eleven processes in a row do not pile up listeners.
    await server.stop();
  };

  try {
    let server = await start();
    const user: HttpBrowser = createHttpBrowser({ origin: PUBLIC_URL, ip: '198.51.100.91' });
    const { userId } = await user.registerFresh(baseUrl, 'crash');
    const folder = await user.request(baseUrl, 'POST', '/api/folders', {
      json: { name: 'Crash loop' },
    });
    expect(folder.status, folder.body).toBe(201);
    const folderId = (folder.json() as { id: string }).id;

    const names = new Map<string, NameState>();
    const unexpected: string[] = [];
    let acknowledged = 0;
    let acknowledgedReplaces = 0;
    let unanswered = 0;
    let stopping = false;
    // While the server is down, clients wait for it rather than spin making bodies nobody reads.
    let up: Promise<void> = Promise.resolve();

    const upload = async (client: number, serial: number) => {
      const own = [...names.entries()].filter(([name]) => name.startsWith(`c${client}-`));
      const replacing = own.length > 0 && randomInt(4) === 0 ? own[randomInt(own.length)] : null;
      const name = replacing?.[0] ?? `c${client}-${serial}.bin`;
      const content = randomBytes(randomSize());
      const sha256 = sha256Of(content);
      replacing?.[1].unanswered.push(sha256);
      const { payload, contentType } = multipartBody([{ name, content }]);
      const query = replacing ? '?onConflict=replace' : '?onConflict=fail';
      let answer;
      try {
        answer = await user.request(baseUrl, 'POST', `/api/folders/${folderId}/files${query}`, {
          raw: payload,
          contentType,
        });
      } catch {
        // Killed mid-request: no answer, so nothing was promised.
        unanswered += 1;
        return;
      }
      if (answer.status === 503) {
        unanswered += 1;
        return;
      }
      if (answer.status !== 201) {
        unexpected.push(`${name}: ${answer.status} ${answer.body.slice(0, 200)}`);
        return;
      }
      const [file] = (answer.json() as { files: { id: string }[] }).files;
      acknowledged += 1;
      if (replacing) acknowledgedReplaces += 1;
      names.set(name, {
        fileId: file?.id ?? '',
        acknowledged: sha256,
        unanswered: [],
        size: content.length,
      });
    };

    const clients = Array.from({ length: CLIENTS }, async (_, client) => {
      for (let serial = 0; ; serial += 1) {
        await up;
        if (stopping) return;
        await upload(client, serial);
      }
    });

    const runStartedAt = Date.now();
    const recoveries: number[] = [];
    let lastKill = 0;
    for (let round = 1; round <= KILLS; round += 1) {
      await sleep(randomInt(800, 3_000));
      let restarted = () => {};
      up = new Promise((resolve) => (restarted = resolve));
      await kill(server);
      lastKill = Date.now();
      if (round === KILLS) {
        stopping = true;
        restarted();
        break;
      }
      server = await start();
      recoveries.push((Date.now() - lastKill) / 1000);
      restarted();
    }
    await Promise.all(clients);
    const stagingLeft = await backend.countStaging();
    server = await start();
    recoveries.push((Date.now() - lastKill) / 1000);
    const loopSeconds = (Date.now() - runStartedAt) / 1000;
    await backend.clearStaging();
    const stagingAfterStart = await backend.countStaging();

    // Every acknowledged upload downloads byte-identical.
    let lost = 0;
    const lostDetails: string[] = [];
    for (const [name, state] of names) {
      const response = await fetch(`${baseUrl}/api/files/${state.fileId}/content`, {
        headers: { cookie: user.cookieHeader(), origin: PUBLIC_URL, 'x-forwarded-for': user.ip },
      });
      const body = response.status === 200 ? Buffer.from(await response.arrayBuffer()) : null;
      const got = body ? sha256Of(body) : `status ${response.status}`;
      if (got !== state.acknowledged && !state.unanswered.includes(got)) {
        lost += 1;
        lostDetails.push(`${name} (${state.fileId}): ${got}`);
      }
    }
    await server.stop();

    // No row without its blob; the usage is the sum of the rows' sizes and of the old versions
    // the replaces kept.
    const database = await backend.openDatabase();
    let rows;
    let versions;
    let usage;
    try {
      versions = await database.db
        .selectFrom('file_versions')
        .select(['id', 'size', 'blob_key'])
        .where('owner_id', '=', userId)
        .execute();
      rows = await database.db
        .selectFrom('nodes')
        .select(['id', 'size', 'blob_key'])
        .where('owner_id', '=', userId)
        .where('is_folder', '=', false)
        .execute();
      usage = await database.db
        .selectFrom('storage_usage')
        .select(['used_bytes', 'file_count'])
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
    } finally {
      await database.release();
    }
    const store = await createBlobStorage(parseStorageUrl(backend.storageUrl));
    const missingBlobs: string[] = [];
    for (const row of [...rows, ...versions]) {
      if (!row.blob_key || !(await store.exists({ key: row.blob_key }))) missingBlobs.push(row.id);
    }
    const sizes = [...rows, ...versions].reduce((sum, row) => sum + row.size, 0);

    const sorted = [...recoveries].sort((a, b) => a - b);
    console.log(
      [
        `crash loop, ${backend.label}: ${KILLS} SIGKILLs in ${loopSeconds.toFixed(0)} s, ${CLIENTS} clients`,
        `  acknowledged ${acknowledged} uploads (${acknowledgedReplaces} replaces), ${unanswered} unanswered, ${rows.length} file rows`,
        `  lost ${lost}, rows without a blob ${missingBlobs.length}, ${versions.length} versions kept, usage ${usage.used_bytes} B = sum of sizes ${sizes} B`,
        `  recovery (kill to /readyz 200): median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} s, max ${sorted.at(-1)?.toFixed(1)} s`,
        `  staging left by the last kill ${stagingLeft}, after the restart ${stagingAfterStart}`,
      ].join('\n'),
    );
    expect(unexpected).toEqual([]);
    expect(lostDetails).toEqual([]);
    expect(acknowledged).toBeGreaterThan(KILLS);
    expect(missingBlobs).toEqual([]);
    expect(usage.used_bytes).toBe(sizes);
    expect(usage.file_count).toBe(rows.length);
    expect(stagingAfterStart).toBe(0);
  } catch (error) {
    console.error(processes.map((server) => server.describe()).join('\n'));
    throw error;
  } finally {
    await Promise.all(processes.map((server) => server.stop()));
    await backend.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
};

describe('crash loop: SIGKILL under concurrent uploads', () => {
  // Each PGlite restart after a kill took 15–20 s on a busy 2-core machine, ten times over.
  test('PGlite + disk', () => runCrashLoop(embeddedBackend), 480_000);
  test('PostgreSQL + S3', () => runCrashLoop(servicesBackend), 240_000);
});
