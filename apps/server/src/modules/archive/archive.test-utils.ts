import { createHash } from 'node:crypto';
import type { App } from '../../app/server.js';
import type { TestApp } from '../../test-support/test-app.js';
import { expect } from 'vitest';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import type { ArchiveStorage } from '../../archive-storage/archive-storage.types.js';
import { createMemoryArchiveStorage } from '../../archive-storage/drivers/memory/memory.archive-storage.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import type { TestUser } from '../nodes/nodes.test-utils.js';

export type JobView = { id: string; status: string; error: string | null; progress: unknown };

export const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export const postArchive = (app: App, user: Pick<TestUser, 'headers'>, folderId: string) =>
  app.inject({ method: 'POST', url: `/api/folders/${folderId}/archive`, headers: user.headers });

export const postRestore = (
  app: App,
  user: Pick<TestUser, 'headers'>,
  folderId: string,
  body: Record<string, string> = {},
) =>
  app.inject({
    method: 'POST',
    url: `/api/folders/${folderId}/restore`,
    headers: user.headers,
    payload: body,
  });

export const getJob = async (app: App, user: Pick<TestUser, 'headers'>, id: string) => {
  const response = await app.inject({
    method: 'GET',
    url: `/api/jobs/${id}`,
    headers: user.headers,
  });
  return response.json<{ job: JobView }>().job;
};

export const folderView = async (app: App, user: Pick<TestUser, 'headers'>, id: string) => {
  const response = await app.inject({
    method: 'GET',
    url: `/api/folders/${id}`,
    headers: user.headers,
  });
  return response.json<{ storageState: string; archiveError?: string | null }>();
};

export const stateOf = async (app: App, user: Pick<TestUser, 'headers'>, id: string) =>
  (await folderView(app, user, id)).storageState;

/** Each file's SHA-256 as downloaded now (every download must succeed). */
export const downloadHashes = async (testApp: TestApp, user: TestUser, files: NodeDto[]) =>
  Promise.all(
    files.map(async (file) => {
      const response = await testApp.app.inject({
        method: 'GET',
        url: `/api/files/${file.id}/content`,
        headers: user.headers,
      });
      expect(response.statusCode).toBe(200);
      return sha256Of(response.rawPayload);
    }),
  );

/** The subjects of every mail queued so far. */
export const queuedMailSubjects = async (testApp: TestApp) => {
  const rows = await testApp.context.database.db
    .selectFrom('jobs')
    .select('payload')
    .where('name', '=', 'mail.send')
    .execute();
  return rows.map((row) => (row.payload as { subject: string }).subject);
};

/** A restore waiting on the cold tier sleeps until a later run_at; tests skip the wait. */
export const makeQueuedJobsDue = async (testApp: TestApp) => {
  await testApp.context.database.db
    .updateTable('jobs')
    .set({ run_at: new Date(Date.now() - 1000) })
    .where('status', '=', 'queued')
    .execute();
};

/** Runs the queue `rounds` times, each time skipping retry back-offs and snoozes. */
export const runJobsThroughRetries = async (testApp: TestApp, rounds: number) => {
  for (let round = 0; round < rounds; round++) {
    await makeQueuedJobsDue(testApp);
    await runQueuedJobs(testApp.context);
  }
};

/** The store key a file's bytes live under now ('' for none). */
export const blobKeyOf = async (testApp: TestApp, id: string) => {
  const row = await testApp.context.database.db
    .selectFrom('nodes')
    .select('blob_key')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.blob_key ?? '';
};

/**
 * An in-memory cold tier that can be made to go away part-way through a run: after `failAfter(n)`
 * the (n+1)th put or get and every later one throw, until `heal()`.
 */
export const createFlakyColdTier = () => {
  const cold = createMemoryArchiveStorage();
  const outage = { broken: false, after: 0, calls: 0 };
  const trip = () => {
    if (outage.broken && ++outage.calls > outage.after) throw new Error('The cold tier went away.');
  };
  const storage: ArchiveStorage = {
    ...cold.storage,
    put: async (args) => {
      trip();
      return cold.storage.put(args);
    },
    get: async (args) => {
      trip();
      return cold.storage.get(args);
    },
  };
  return {
    storage,
    completeRestores: () => cold.completeRestores(),
    failAfter: (after: number) => Object.assign(outage, { broken: true, after, calls: 0 }),
    heal: () => {
      outage.broken = false;
    },
  };
};
