import { usageSchema } from '@myfile/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getAuth, requireAuth } from '../auth/auth.hooks.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { getUsage } from './usage.usecases.js';

export const usageRoutes =
  (deps: FilesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/usage',
      {
        schema: {
          tags: ['usage'],
          summary: 'Bytes used (trash and earlier versions included), quota and file count',
          response: { 200: usageSchema },
        },
        preHandler: requireAuth('read'),
      },
      async (request) => getUsage({ ...deps, ownerId: getAuth(request).userId }),
    );
  };
