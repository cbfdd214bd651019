import {
  shareListSchema,
  shareRoles,
  shareSchema,
  sharedPageSchema,
  type ShareDto,
} from '@myfile/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../access/access.request.js';
import type { ShareRow } from '../access/access.tables.js';
import { requireAuth } from '../auth/auth.hooks.js';
import { toNodeDto } from '../nodes/nodes.models.js';
import { idParamsSchema, limitSchema } from '../nodes/nodes.schemas.js';
import {
  changeShareRole,
  listNodeShares,
  listSharedWithMe,
  revokeShare,
  shareNode,
  type SharingDeps,
} from './sharing.usecases.js';

const tags = ['sharing'];

const toShareDto = (share: ShareRow): ShareDto => ({
  id: share.id,
  nodeId: share.node_id,
  email: share.grantee_email,
  role: share.role,
  createdAt: share.created_at.toISOString(),
  updatedAt: share.updated_at.toISOString(),
});

export const sharingRoutes =
  (deps: SharingDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('read'));

    app.post(
      '/api/nodes/:id/shares',
      {
        schema: {
          tags,
          summary:
            'Share a file or folder with a person by email (owner only); sharing again changes the role',
          params: idParamsSchema,
          body: z.object({ email: z.email().max(320), role: z.enum(shareRoles) }),
          response: { 201: shareSchema },
        },
      },
      async (request, reply) => {
        const share = await shareNode({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
          ...request.body,
        });
        return reply.status(201).send(toShareDto(share));
      },
    );

    app.get(
      '/api/nodes/:id/shares',
      {
        schema: {
          tags,
          summary: 'Who has access to a file or folder (owner only)',
          params: idParamsSchema,
          response: { 200: shareListSchema },
        },
      },
      async (request) => ({
        items: (
          await listNodeShares({ db: deps.db, actor: actorOf(request), id: request.params.id })
        ).map(toShareDto),
      }),
    );

    app.patch(
      '/api/shares/:id',
      {
        schema: {
          tags,
          summary: "Change a person's role on a shared item (owner only)",
          params: idParamsSchema,
          body: z.strictObject({ role: z.enum(shareRoles) }),
          response: { 200: shareSchema },
        },
      },
      async (request) =>
        toShareDto(
          await changeShareRole({
            ...deps,
            actor: actorOf(request),
            id: request.params.id,
            role: request.body.role,
          }),
        ),
    );

    app.delete(
      '/api/shares/:id',
      {
        schema: {
          tags,
          summary: "Revoke a person's access (owner only); it ends on their next request",
          params: idParamsSchema,
        },
      },
      async (request, reply) => {
        await revokeShare({ ...deps, actor: actorOf(request), id: request.params.id });
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/shared-with-me',
      {
        schema: {
          tags,
          summary:
            'Every item shared with me, newest first; pass nextCursor back for the next page',
          querystring: z.object({
            cursor: z.string().max(512).optional(),
            limit: limitSchema.default(100),
          }),
          response: { 200: sharedPageSchema },
        },
      },
      async (request) => {
        const { items, nextCursor } = await listSharedWithMe({
          db: deps.db,
          actor: actorOf(request),
          ...request.query,
        });
        return {
          items: items.map((row) => ({
            ...toNodeDto(row),
            // What was shared is the top of what the sharee sees: its folder is the owner's.
            parentId: null,
            shareId: row.share_id,
            role: row.share_role,
            sharedBy: row.shared_by,
            sharedAt: row.shared_at.toISOString(),
          })),
          nextCursor,
        };
      },
    );
  };
