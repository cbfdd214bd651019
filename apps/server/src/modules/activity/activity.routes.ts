import { activityPageSchema } from '@myfile/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { actorOf } from '../access/access.request.js';
import { requireAuth } from '../auth/auth.hooks.js';
import { idParamsSchema, limitSchema } from '../nodes/nodes.schemas.js';
import { getNodeActivity } from './activity.usecases.js';

export const activityRoutes =
  ({ db }: { db: Db }): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('read'));

    app.get(
      '/api/nodes/:id/activity',
      {
        schema: {
          tags: ['activity'],
          summary:
            'What happened to a file or folder, newest first, ending with its creation (anyone who can open it; who it is shared with and its links only for the owner; the newest 100 changes are kept)',
          params: idParamsSchema,
          querystring: z.object({
            cursor: z.string().max(512).optional(),
            limit: limitSchema.default(50),
          }),
          response: { 200: activityPageSchema },
        },
      },
      async (request) =>
        getNodeActivity({
          db,
          actor: actorOf(request),
          id: request.params.id,
          ...request.query,
        }),
    );
  };
