import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { trashPageSchema } from '@myfile/contract';
import { z } from 'zod';
import { getAuth, requireAuth } from '../auth/auth.hooks.js';
import { toNodeDto } from '../nodes/nodes.models.js';
import { idParamsSchema, limitSchema, nodeSchema } from '../nodes/nodes.schemas.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { emptyTrash, listTrash, purgeTrashItem, restoreTrashItem } from './trash.usecases.js';

const tags = ['trash'];

export const trashRoutes =
  (deps: FilesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('read'));

    app.get(
      '/api/trash',
      {
        schema: {
          tags,
          summary: 'What I deleted, newest first',
          querystring: z.object({
            cursor: z.string().max(512).optional(),
            limit: limitSchema.default(100),
          }),
          response: {
            200: trashPageSchema,
          },
        },
      },
      async (request) => {
        const { items, nextCursor } = await listTrash({
          ...request.query,
          db: deps.db,
          ownerId: getAuth(request).userId,
        });
        const retentionMs = deps.settings.trashRetentionDays * 86_400_000;
        return {
          items: items.map((row) => {
            const trashedAt = row.trashed_at ?? row.updated_at;
            return {
              ...toNodeDto(row),
              trashedAt: trashedAt.toISOString(),
              purgeAt: new Date(trashedAt.getTime() + retentionMs).toISOString(),
              originalPath: row.trash_path ?? [],
            };
          }),
          nextCursor,
        };
      },
    );

    app.post(
      '/api/trash/:id/restore',
      {
        schema: {
          tags,
          summary: 'Put an item back where it was (renamed on conflict)',
          params: idParamsSchema,
          response: { 200: nodeSchema },
        },
      },
      async (request) =>
        toNodeDto(
          await restoreTrashItem({
            ...deps,
            ownerId: getAuth(request).userId,
            id: request.params.id,
          }),
        ),
    );

    app.delete(
      '/api/trash/:id',
      { schema: { tags, summary: 'Delete one trash item for good', params: idParamsSchema } },
      async (request, reply) => {
        await purgeTrashItem({ ...deps, ownerId: getAuth(request).userId, id: request.params.id });
        return reply.status(204).send();
      },
    );

    app.delete(
      '/api/trash',
      { schema: { tags, summary: 'Empty the trash' } },
      async (request, reply) => {
        await emptyTrash({ ...deps, ownerId: getAuth(request).userId });
        return reply.status(204).send();
      },
    );
  };
