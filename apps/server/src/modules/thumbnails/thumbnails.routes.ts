import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../access/access.request.js';
import { requireAuth } from '../auth/auth.hooks.js';
import { idParamsSchema } from '../nodes/nodes.schemas.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { openThumbnail } from './thumbnails.usecases.js';

export const thumbnailRoutes =
  (deps: Pick<FilesDeps, 'db' | 'blobStorage'>): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('read'));

    app.get(
      '/api/files/:id/thumbnail',
      {
        schema: {
          tags: ['files'],
          summary:
            'A WebP thumbnail (at most 256 px) once rendered; 404 thumbnail_not_ready until then',
          params: idParamsSchema,
          // `v` (the content version in thumbnailUrl) only makes the URL change with the content.
          querystring: z.object({ v: z.string().max(64).optional() }),
        },
      },
      async (request, reply) => {
        const thumbnail = await openThumbnail({
          ...deps,
          actor: actorOf(request),
          id: request.params.id,
          ifNoneMatch: request.headers['if-none-match'],
        });
        reply
          .header('etag', thumbnail.etag)
          // Private: it is someone's picture. A day is safe: new content means a new URL.
          .header('cache-control', 'private, max-age=86400')
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox");
        if (thumbnail.status === 304) return reply.status(304).send();
        return reply
          .header('content-type', 'image/webp')
          .header('content-length', thumbnail.length)
          .send(thumbnail.body);
      },
    );
  };
