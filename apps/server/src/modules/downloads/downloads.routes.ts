import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../access/access.request.js';
import { requireAuth } from '../auth/auth.hooks.js';
import { idParamsSchema } from '../nodes/nodes.schemas.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { sendFolderZip } from './downloads.reply.js';

export const downloadRoutes =
  (deps: FilesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('read'));

    app.get(
      '/api/folders/:id/zip',
      {
        schema: {
          tags: ['folders'],
          summary:
            'Download a folder as a zip, streamed (ZIP64, UTF-8 names); files in cold storage are listed in a note instead',
          params: idParamsSchema,
        },
      },
      async (request, reply) =>
        sendFolderZip(reply, { deps, actor: actorOf(request), id: request.params.id }),
    );
  };
