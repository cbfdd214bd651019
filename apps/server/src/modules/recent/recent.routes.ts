import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recentPageSchema } from '@myfile/contract';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { getAuth, requireAuth } from '../auth/auth.hooks.js';
import { toNodeDto } from '../nodes/nodes.models.js';
import { limitSchema } from '../nodes/nodes.schemas.js';
import { listRecent } from './recent.usecases.js';

export const recentRoutes =
  ({ db }: { db: Db }): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('read'));

    app.get(
      '/api/recent',
      {
        schema: {
          tags: ['recent'],
          summary: 'Files I uploaded, changed or opened, newest first',
          querystring: z.object({
            cursor: z.string().max(512).optional(),
            limit: limitSchema.default(100),
          }),
          response: { 200: recentPageSchema },
        },
      },
      async (request) => {
        const { items, nextCursor } = await listRecent({
          db,
          userId: getAuth(request).userId,
          ...request.query,
        });
        return {
          items: items.map(({ row, path }) => ({
            ...toNodeDto(row),
            path,
            at: row.at.toISOString(),
            reason: row.reason,
          })),
          nextCursor,
        };
      },
    );
  };
