import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { starredIdsSchema, starredPageSchema, starStateSchema } from '@myfile/contract';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { getAuth, requireAuth } from '../auth/auth.hooks.js';
import { toNodeDto } from '../nodes/nodes.models.js';
import { limitSchema } from '../nodes/nodes.schemas.js';
import { isStarred, listStarred, starNode, starredChildIds, unstarNode } from './stars.usecases.js';

const tags = ['stars'];
const params = z.object({ id: z.uuid() });

export const starsRoutes =
  ({ db }: { db: Db }): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('read'));

    app.get(
      '/api/stars',
      {
        schema: {
          tags,
          summary: 'My starred files and folders, newest star first',
          querystring: z.object({
            cursor: z.string().max(512).optional(),
            limit: limitSchema.default(100),
          }),
          response: { 200: starredPageSchema },
        },
      },
      async (request) => {
        const { items, nextCursor } = await listStarred({
          db,
          userId: getAuth(request).userId,
          ...request.query,
        });
        return {
          items: items.map(({ row, path }) => ({
            ...toNodeDto(row),
            path,
            starredAt: row.starred_at.toISOString(),
          })),
          nextCursor,
        };
      },
    );

    app.get(
      '/api/stars/in/:id',
      {
        schema: {
          tags,
          summary: 'Which items of this folder (its direct children) I starred',
          params,
          response: { 200: starredIdsSchema },
        },
      },
      async (request) => ({
        ids: await starredChildIds({
          db,
          userId: getAuth(request).userId,
          folderId: request.params.id,
        }),
      }),
    );

    app.get(
      '/api/stars/:id',
      {
        schema: {
          tags,
          summary: 'Whether I starred this file or folder',
          params,
          response: { 200: starStateSchema },
        },
      },
      async (request) => ({
        starred: await isStarred({ db, userId: getAuth(request).userId, id: request.params.id }),
      }),
    );

    app.put(
      '/api/stars/:id',
      {
        schema: {
          tags,
          summary: 'Star a file or folder I can open (again: no change)',
          params,
          response: { 204: z.null().describe('Starred; nothing to return.') },
        },
      },
      async (request, reply) => {
        await starNode({ db, userId: getAuth(request).userId, id: request.params.id });
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/api/stars/:id',
      {
        schema: {
          tags,
          summary: 'Unstar (not starred: no change)',
          params,
        },
      },
      async (request, reply) => {
        await unstarNode({ db, userId: getAuth(request).userId, id: request.params.id });
        return reply.status(204).send();
      },
    );
  };
