import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../access/access.request.js';
import { requireAuth } from '../auth/auth.hooks.js';
import { toNodeDto } from '../nodes/nodes.models.js';
import { nodeSchema, pathSchema, storableText } from '../nodes/nodes.schemas.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { getNodeByPath } from './paths.usecases.js';

export const pathRoutes =
  (deps: FilesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('read'));

    app.get(
      '/api/nodes/by-path',
      {
        schema: {
          tags: ['folders', 'files'],
          summary: 'The file or folder at a path in my tree (`/` is my root folder)',
          description:
            'Names are compared as the unique-name rule compares them (case-insensitively, ' +
            'after NFC). `path` lists the folders on the way, below the root.',
          querystring: z.object({ path: storableText().pipe(z.string().min(1).max(65536)) }),
          response: { 200: nodeSchema.extend({ path: pathSchema }) },
        },
      },
      async (request) => {
        const { node, ancestors } = await getNodeByPath({
          ...deps,
          actor: actorOf(request),
          path: request.query.path,
        });
        return { ...toNodeDto(node), path: ancestors };
      },
    );
  };
