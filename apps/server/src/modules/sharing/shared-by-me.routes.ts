import { sharedByMePageSchema } from '@myfile/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { actorOf } from '../access/access.request.js';
import { requireAuth } from '../auth/auth.hooks.js';
import { toNodeDto } from '../nodes/nodes.models.js';
import { limitSchema } from '../nodes/nodes.schemas.js';
import { listSharedByMe } from './shared-by-me.usecases.js';

export const sharedByMeRoutes =
  ({ db }: { db: Db }): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('read'));

    app.get(
      '/api/shared-by-me',
      {
        schema: {
          tags: ['sharing'],
          summary:
            'Every item of mine shared with a person or by a working link, newest share first; pass nextCursor back for the next page',
          querystring: z.object({
            cursor: z.string().max(512).optional(),
            limit: limitSchema.default(100),
          }),
          response: { 200: sharedByMePageSchema },
        },
      },
      async (request) => {
        const { items, nextCursor } = await listSharedByMe({
          db,
          actor: actorOf(request),
          ...request.query,
        });
        return {
          items: items.map((row) => ({
            ...toNodeDto(row),
            people: row.people,
            links: row.links,
            sharedAt: new Date(row.shared_at).toISOString(),
          })),
          nextCursor,
        };
      },
    );
  };
