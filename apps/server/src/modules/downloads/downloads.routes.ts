import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../access/access.request.js';
import { requireAuth } from '../auth/auth.hooks.js';
import { contentDisposition } from '../files/files.models.js';
import { idParamsSchema } from '../nodes/nodes.schemas.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { openFolderZip } from './downloads.zip.js';

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
      async (request, reply) => {
        // Closing the connection stops the walk and the reads: a cancelled download costs nothing.
        const abort = new AbortController();
        reply.raw.on('close', () => abort.abort());
        const { name, stream } = await openFolderZip({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
          signal: abort.signal,
        });
        reply.raw.on('close', () => {
          if (!reply.raw.writableFinished) stream.destroy();
        });
        return reply
          .header('content-type', 'application/zip')
          .header('content-disposition', contentDisposition('attachment', `${name}.zip`))
          .header('cache-control', 'private, no-store')
          .header('x-content-type-options', 'nosniff')
          .send(stream);
      },
    );
  };
