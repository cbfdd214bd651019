import sharp from 'sharp';
import type { App } from '../../app/server.js';
import type { TestApp } from '../../test-support/test-app.js';
import type { TestUser } from '../nodes/nodes.test-utils.js';

/** A solid-colour image; solid colour compresses, so even a pixel flood stays a small file. */
export const solidImage = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } });

export const getThumbnail = (
  app: App,
  user: Pick<TestUser, 'headers'> | null,
  id: string,
  headers: Record<string, string> = {},
) =>
  app.inject({
    method: 'GET',
    url: `/api/files/${id}/thumbnail`,
    headers: { ...(user?.headers ?? {}), ...headers },
  });

export const fileRow = (testApp: TestApp, id: string) =>
  testApp.context.database.db
    .selectFrom('nodes')
    .select(['blob_key', 'thumbnail_state'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
