import { createHash } from 'node:crypto';
import type { App } from '../../app/server.js';
import type { TestApp } from '../../test-support/test-app.js';
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

export const stateOf = async (app: App, user: Pick<TestUser, 'headers'>, id: string) => {
  const response = await app.inject({
    method: 'GET',
    url: `/api/folders/${id}`,
    headers: user.headers,
  });
  return response.json<{ storageState: string }>().storageState;
};

/** A restore waiting on the cold tier sleeps until a later run_at; tests skip the wait. */
export const makeQueuedJobsDue = async (testApp: TestApp) => {
  await testApp.context.database.db
    .updateTable('jobs')
    .set({ run_at: new Date(Date.now() - 1000) })
    .where('status', '=', 'queued')
    .execute();
};
