import { fileVersionListSchema, nodeSchema, type FileVersionDto } from '@myfile/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../access/access.request.js';
import { requireAuth } from '../auth/auth.hooks.js';
import { sendFileContent } from '../files/files.content-reply.js';
import { nodeVersionTag, toNodeDto } from '../nodes/nodes.models.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import type { FileVersionRow } from './versions.tables.js';
import {
  deleteVersion,
  listFileVersions,
  openVersionContent,
  restoreVersion,
} from './versions.usecases.js';

const tags = ['versions'];
const fileParams = z.object({ id: z.string().max(64) });
const versionParams = z.object({ id: z.string().max(64), versionId: z.string().max(64) });

const toVersionDto = (
  row: FileVersionRow & { created_by_email: string | null },
): FileVersionDto => ({
  id: row.id,
  size: row.size,
  sha256: row.sha256,
  contentType: row.content_type,
  modifiedAt: row.modified_at.toISOString(),
  createdAt: row.created_at.toISOString(),
  createdBy:
    row.created_by && row.created_by_email !== null
      ? { id: row.created_by, email: row.created_by_email }
      : null,
});

export const versionRoutes =
  (deps: FilesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/files/:id/versions',
      {
        schema: {
          tags,
          summary: "A file's earlier versions, newest first (owner and editors)",
          params: fileParams,
          response: { 200: fileVersionListSchema },
        },
        preHandler: requireAuth('read'),
      },
      async (request) => {
        const rows = await listFileVersions({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
        });
        return { versions: rows.map(toVersionDto) };
      },
    );

    app.get(
      '/api/files/:id/versions/:versionId/content',
      {
        schema: {
          tags,
          summary: 'Download an earlier version (Range, ETag), always as an attachment',
          params: versionParams,
        },
        preHandler: requireAuth('read'),
      },
      async (request, reply) => {
        const headers = request.headers;
        const content = await openVersionContent({
          ...deps,
          actor: actorOf(request),
          fileId: request.params.id,
          versionId: request.params.versionId,
          range: headers.range,
          ifNoneMatch: headers['if-none-match'],
          ifRange: typeof headers['if-range'] === 'string' ? headers['if-range'] : undefined,
        });
        return sendFileContent(reply, content, {});
      },
    );

    app.post(
      '/api/files/:id/versions/:versionId/restore',
      {
        schema: {
          tags,
          summary:
            'Make an earlier version the current content; the current content is kept as the newest version',
          params: versionParams,
          response: { 200: nodeSchema },
        },
        preHandler: requireAuth('write'),
      },
      async (request, reply) => {
        const file = await restoreVersion({
          ...deps,
          actor: actorOf(request),
          fileId: request.params.id,
          versionId: request.params.versionId,
        });
        reply.header('etag', nodeVersionTag(file));
        return toNodeDto(file);
      },
    );

    app.delete(
      '/api/files/:id/versions/:versionId',
      {
        schema: { tags, summary: 'Delete an earlier version for good', params: versionParams },
        preHandler: requireAuth('write'),
      },
      async (request, reply) => {
        await deleteVersion({
          ...deps,
          actor: actorOf(request),
          fileId: request.params.id,
          versionId: request.params.versionId,
        });
        return reply.status(204).send();
      },
    );
  };
