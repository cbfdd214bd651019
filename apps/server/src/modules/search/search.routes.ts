import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getAuth, requireAuth } from '../auth/auth.hooks.js';
import { bulkDelete, bulkMove } from '../bulk/bulk.usecases.js';
import { toNodeDto } from '../nodes/nodes.models.js';
import { limitSchema, nodeSchema, pathSchema } from '../nodes/nodes.schemas.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { getUsage } from '../usage/usage.usecases.js';
import { searchByName } from './search.usecases.js';

const bulkResultSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});
const idsSchema = z.array(z.string().max(64)).min(1).max(1000);

/** Search, usage and bulk operations: the cross-folder views of my files. */
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
            q: z.string().trim().min(1).max(255),
            cursor: z.string().max(4096).optional(),
            limit: limitSchema.default(50),
          }),
          response: {
            200: z.object({
              items: z.array(nodeSchema.extend({ path: pathSchema })),
              nextCursor: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const { hits, nextCursor } = await searchByName(deps, {
          ownerId: getAuth(request).userId,
          ...request.query,
        });
        return { items: hits.map(({ node, path }) => ({ ...toNodeDto(node), path })), nextCursor };
      },
    );

    app.get(
      '/api/usage',
      {
        schema: {
          tags: ['usage'],
          summary: 'Bytes used (trash included), quota and file count',
          response: {
            200: z.object({
              usedBytes: z.number(),
              quotaBytes: z.number(),
              fileCount: z.number(),
              trashBytes: z.number(),
            }),
          },
        },
      },
      async (request) => getUsage(deps, { ownerId: getAuth(request).userId }),
    );

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
        results: await bulkMove(deps, { ownerId: getAuth(request).userId, ...request.body }),
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
        results: await bulkDelete(deps, { ownerId: getAuth(request).userId, ...request.body }),
      }),
    );
  };
