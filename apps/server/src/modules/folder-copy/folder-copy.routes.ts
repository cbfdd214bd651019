import { jobViewSchema } from '@myfile/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../access/access.request.js';
import { requireAuth } from '../auth/auth.hooks.js';
import { idParamsSchema } from '../nodes/nodes.schemas.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { requestFolderCopy } from './folder-copy.usecases.js';

export const folderCopyRoutes =
  (deps: FilesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/folders/:id/copy',
      {
        schema: {
          tags: ['folders'],
          summary:
            'Copy a folder with everything in it into another folder, in a job; the copy appears whole when it ends',
          params: idParamsSchema,
          body: z.object({
            targetFolderId: z.string().max(64),
            // Replacing a whole folder is not offered: it would trash a tree the caller never saw.
            onConflict: z.enum(['rename', 'fail']).default('rename'),
          }),
          response: { 202: z.object({ job: jobViewSchema }) },
        },
        preHandler: requireAuth('write'),
      },
      async (request, reply) => {
        const job = await requestFolderCopy({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
          ...request.body,
        });
        return reply.status(202).send({ job });
      },
    );
  };
