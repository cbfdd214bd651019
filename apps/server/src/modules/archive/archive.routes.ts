import { archiveTierSchema, jobViewSchema } from '@myfile/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../access/access.request.js';
import { requireAuth } from '../auth/auth.hooks.js';
import { idParamsSchema } from '../nodes/nodes.schemas.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import type { ArchiveStorage } from '../../archive-storage/archive-storage.types.js';
import { archiveTierOf } from './archive.config.js';
import { requestFolderArchive, requestFolderRestore } from './archive.usecases.js';

const tags = ['folders'];

export const archiveRoutes =
  (deps: FilesDeps & { coldDriver: ArchiveStorage['driverName'] }): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('write'));

    app.get(
      '/api/archive/tier',
      {
        schema: {
          tags,
          summary:
            "This server's cold tier (disk or S3) and how long a restore takes there: within minutes from disk, hours from S3 Glacier",
          response: { 200: archiveTierSchema },
        },
      },
      async () => archiveTierOf(deps.coldDriver),
    );

    app.post(
      '/api/folders/:id/archive',
      {
        schema: {
          tags,
          summary: 'Archive a folder: read-only at once, its files move to the cold tier in a job',
          params: idParamsSchema,
          response: { 202: z.object({ job: jobViewSchema }) },
        },
      },
      async (request, reply) => {
        const job = await requestFolderArchive({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
        });
        return reply.status(202).send({ job });
      },
    );

    app.post(
      '/api/folders/:id/restore',
      {
        schema: {
          tags,
          summary: 'Bring an archived folder back to the hot tier, in a job',
          params: idParamsSchema,
          // No body at all is a standard restore, like an empty object.
          body: z
            .object({ tier: z.enum(['expedited', 'standard', 'bulk']).default('standard') })
            .nullish(),
          response: { 202: z.object({ job: jobViewSchema }) },
        },
      },
      async (request, reply) => {
        const job = await requestFolderRestore({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
          tier: request.body?.tier ?? 'standard',
        });
        return reply.status(202).send({ job });
      },
    );
  };
