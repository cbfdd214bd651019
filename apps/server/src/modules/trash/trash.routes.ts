import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalidRequest } from '../../app/app-error.js';
import { getAuth, requireAuth } from '../auth/auth.hooks.js';
import { toNodeDto } from '../nodes/nodes.models.js';
import { idParamsSchema, limitSchema, nodeSchema } from '../nodes/nodes.schemas.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { listTrashRoots } from './trash.repository.js';
import { emptyTrash, purgeTrashItem, restoreTrashItem } from './trash.usecases.js';

const tags = ['trash'];
const cursorSchema = z.object({ t: z.iso.datetime(), i: z.uuid() }).strict();

const decodeCursor = (raw: string) => {
  try {
    const { t, i } = cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return { trashedAt: new Date(t), id: i };
  } catch {
    throw invalidRequest('The cursor is malformed.', 'cursor');
  }
};

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
            200: z.object({
              items: z.array(
                nodeSchema.extend({ trashedAt: z.string(), originalPath: z.array(z.string()) }),
              ),
              nextCursor: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const { cursor, limit } = request.query;
        const rows = await listTrashRoots(deps.db, {
          ownerId: getAuth(request).userId,
          after: cursor ? decodeCursor(cursor) : undefined,
          limit: limit + 1,
        });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          items: page.map((row) => ({
            ...toNodeDto(row),
            trashedAt: (row.trashed_at ?? row.updated_at).toISOString(),
            originalPath: row.trash_path ?? [],
          })),
          nextCursor:
            rows.length > limit && last?.trashed_at
              ? Buffer.from(
                  JSON.stringify({ t: last.trashed_at.toISOString(), i: last.id }),
                ).toString('base64url')
              : null,
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
          await restoreTrashItem(deps, { ownerId: getAuth(request).userId, id: request.params.id }),
        ),
    );

    app.delete(
      '/api/trash/:id',
      { schema: { tags, summary: 'Delete one trash item for good', params: idParamsSchema } },
      async (request, reply) => {
        await purgeTrashItem(deps, { ownerId: getAuth(request).userId, id: request.params.id });
        return reply.status(204).send();
      },
    );

    app.delete(
      '/api/trash',
      { schema: { tags, summary: 'Empty the trash' } },
      async (request, reply) => {
        await emptyTrash(deps, { ownerId: getAuth(request).userId });
        return reply.status(204).send();
      },
    );
  };
