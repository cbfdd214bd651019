import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { searchPageSchema } from '@myfile/contract';
import { z } from 'zod';
import { getAuth, requireAuth } from '../auth/auth.hooks.js';
import { toNodeDto } from '../nodes/nodes.models.js';
import { limitSchema, storableText } from '../nodes/nodes.schemas.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { searchByName } from './search.usecases.js';

/** Search by name across all my folders. */
export const searchRoutes =
  (deps: FilesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('read'));

    app.get(
      '/api/search',
      {
        schema: {
          tags: ['search'],
          summary: 'Files and folders whose name starts with q, with their paths',
          querystring: z.object({
            q: storableText().pipe(z.string().trim().min(1).max(255)),
            cursor: z.string().max(4096).optional(),
            limit: limitSchema.default(50),
          }),
          response: {
            200: searchPageSchema,
          },
        },
      },
      async (request) => {
        const { hits, nextCursor } = await searchByName({
          ...deps,
          ownerId: getAuth(request).userId,
          ...request.query,
        });
        return { items: hits.map(({ node, path }) => ({ ...toNodeDto(node), path })), nextCursor };
      },
    );
  };
