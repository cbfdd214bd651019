import { bulkResultSchema } from '@myfile/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../access/access.request.js';
import { requireAuth } from '../auth/auth.hooks.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { bulkDelete, bulkMove } from './bulk.usecases.js';

const idsSchema = z.array(z.string().max(64)).min(1).max(1000);

/** Many files and folders at once, each item succeeding or failing on its own. */
export const bulkRoutes =
  (deps: FilesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('write'));

    app.post(
      '/api/bulk/move',
      {
        schema: {
          tags: ['bulk'],
          summary: 'Move many files and folders; one result per item',
          body: z.object({ ids: idsSchema, targetFolderId: z.string().max(64) }),
          response: { 200: bulkResultSchema },
        },
      },
      async (request) => ({
        results: await bulkMove({ ...deps, actor: actorOf(request), ...request.body }),
      }),
    );

    app.post(
      '/api/bulk/delete',
      {
        schema: {
          tags: ['bulk'],
          summary: 'Move many files and folders to the trash; one result per item',
          body: z.object({ ids: idsSchema }),
          response: { 200: bulkResultSchema },
        },
      },
      async (request) => ({
        results: await bulkDelete({ ...deps, actor: actorOf(request), ...request.body }),
      }),
    );
  };
