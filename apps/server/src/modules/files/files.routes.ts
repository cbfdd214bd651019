import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { roleSchema } from '../access/access.schemas.js';
import { AppError } from '../../app/app-error.js';
import { actorOf } from '../access/access.request.js';
import { requireAuth } from '../auth/auth.hooks.js';
import { toNodeDto } from '../nodes/nodes.models.js';
import { idParamsSchema, nameSchema, nodeSchema, pathSchema } from '../nodes/nodes.schemas.js';
import { renameOrMoveNode, type FilesDeps } from '../nodes/nodes.usecases.js';
import { trashNode } from '../trash/trash.usecases.js';
import { contentDisposition, isSafeInline, responseContentType } from './files.models.js';
import { copyFile, getFileWithPath, openFileContent } from './files.usecases.js';

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
      async (request) => {
        const { file, path, role } = await getFileWithPath({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
        });
        return { ...toNodeDto(file), path, role };
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
      async (request) =>
        toNodeDto(
          await renameOrMoveNode({
            ...deps,
            actor: actorOf(request),
            id: request.params.id,
            ...request.body,
            expect: 'file',
          }),
        ),
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
        const content = await openFileContent({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
          range: headers.range,
          ifNoneMatch: headers['if-none-match'],
          ifRange: typeof headers['if-range'] === 'string' ? headers['if-range'] : undefined,
        });
        reply.header('x-content-type-options', 'nosniff');
        reply.header('cache-control', 'private, no-cache');
        reply.header('accept-ranges', 'bytes');
        if (content.status === 304) return reply.status(304).header('etag', content.etag).send();
        if (content.status === 416) {
          throw new AppError({
            code: 'range_not_satisfiable',
            statusCode: 416,
            message: 'The requested range is outside the file.',
            headers: { 'content-range': `bytes */${content.size}` },
          });
        }
        const inline =
          (request.query.inline === '1' || request.query.inline === 'true') &&
          isSafeInline(content.contentType);
        reply
          .status(content.status)
          .header('etag', content.etag)
          .header('content-length', content.length)
          .header('content-type', responseContentType(content.contentType))
          .header(
            'content-disposition',
            contentDisposition(inline ? 'inline' : 'attachment', content.name),
          )
          // Even a safe type renders in a sandbox: no scripts, no same-origin access.
          .header('content-security-policy', inline ? 'sandbox' : "default-src 'none'; sandbox");
        if (content.range) {
          reply.header(
            'content-range',
            `bytes ${content.range.start}-${content.range.end}/${content.size}`,
          );
        }
        return reply.send(content.body);
      },
    );
  };
