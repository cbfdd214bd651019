import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { roleSchema } from '../access/access.schemas.js';
import { recordFileOpened } from '../recent/recent.usecases.js';
import { actorOf } from '../access/access.request.js';
import { visibleParentId } from '../access/access.usecases.js';
import { requireAuth } from '../auth/auth.hooks.js';
import { nodeVersionTag, toNodeDto } from '../nodes/nodes.models.js';
import { idParamsSchema, nameSchema, nodeSchema, pathSchema } from '../nodes/nodes.schemas.js';
import { renameOrMoveNode, type FilesDeps } from '../nodes/nodes.usecases.js';
import { trashNode } from '../trash/trash.usecases.js';
import { sendFileByAccelRedirect, sendFileContent } from './files.content-reply.js';
import {
  copyFile,
  getFileWithPath,
  openPlannedContent,
  planFileContent,
} from './files.usecases.js';

const tags = ['files'];

export const fileRoutes =
  (deps: FilesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('read'));

    app.get(
      '/api/files/:id',
      {
        schema: {
          tags,
          summary: 'A file and the path of its folder',
          params: idParamsSchema,
          response: { 200: nodeSchema.extend({ path: pathSchema, role: roleSchema }) },
        },
      },
      async (request, reply) => {
        const { file, path, role } = await getFileWithPath({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
        });
        reply.header('etag', nodeVersionTag(file));
        return {
          ...toNodeDto(file),
          parentId: visibleParentId({ node: file, role, path }),
          path,
          role,
        };
      },
    );

    app.patch(
      '/api/files/:id',
      {
        schema: {
          tags,
          summary: 'Rename and/or move a file',
          params: idParamsSchema,
          // An unknown field is refused, not ignored: a typo must not look like success.
          body: z.strictObject({
            name: nameSchema.optional(),
            parentId: z.string().max(64).optional(),
          }),
          response: { 200: nodeSchema },
        },
      },
      async (request, reply) => {
        const file = await renameOrMoveNode({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
          ...request.body,
          expect: 'file',
          ifMatch: request.headers['if-match'],
        });
        reply.header('etag', nodeVersionTag(file));
        return toNodeDto(file);
      },
    );

    app.delete(
      '/api/files/:id',
      { schema: { tags, summary: 'Move a file to the trash', params: idParamsSchema } },
      async (request, reply) => {
        await trashNode({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
          recursive: false,
          expect: 'file',
        });
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/files/:id/copy',
      {
        schema: {
          tags,
          summary: 'Copy a file (server-side in the store); renamed on conflict',
          params: idParamsSchema,
          body: z
            .object({ targetFolderId: z.string().max(64).optional(), name: nameSchema.optional() })
            .default({}),
          response: { 201: nodeSchema },
        },
      },
      async (request, reply) => {
        const copy = await copyFile({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
          ...request.body,
        });
        return reply.status(201).send(toNodeDto(copy));
      },
    );

    app.get(
      '/api/files/:id/content',
      {
        schema: {
          tags,
          summary: 'Download (Range, ETag); ?inline=1 previews safe types only',
          params: idParamsSchema,
          querystring: z.object({ inline: z.enum(['0', '1', 'true', 'false']).optional() }),
        },
      },
      async (request, reply) => {
        const headers = request.headers;
        const plan = await planFileContent({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
          range: headers.range,
          ifNoneMatch: headers['if-none-match'],
          ifRange: typeof headers['if-range'] === 'string' ? headers['if-range'] : undefined,
        });
        // Recent lists only what was really opened: a missing blob or a refused range is not.
        const recordOpen = () =>
          plan.status === 416
            ? Promise.resolve()
            : recordFileOpened({
                db: deps.db,
                actor: actorOf(request),
                fileId: request.params.id,
                range: headers.range,
              });
        const accelPrefix = deps.settings.downloadAccelRedirect;
        if (accelPrefix && plan.status === 200 && plan.size > 0) {
          // A blob missing from the disk gets the app's error answer, as when streaming, not nginx's.
          await deps.blobStorage.head({ key: plan.blobKey });
          await recordOpen();
          return sendFileByAccelRedirect(reply, plan, {
            prefix: accelPrefix,
            inline: request.query.inline,
          });
        }
        const content = await openPlannedContent(deps.blobStorage, plan);
        await recordOpen();
        return sendFileContent(reply, content, { inline: request.query.inline });
      },
    );
  };
