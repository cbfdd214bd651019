import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthDeps } from '../auth.deps.js';
import { requireAuth, requireSession } from '../auth.hooks.js';
import { requestOrigin } from '../auth.models.js';
import {
  createdTokenSchema,
  createTokenSchema,
  idParamsSchema,
  tokenSchema,
} from '../auth.schemas.js';
import { requireRecentAuth } from '../recent-auth/recent-auth.hook.js';
import { createPersonalToken, listTokens, revokeToken } from './personal-tokens.usecases.js';

const tags = ['auth'];

/** Managed from a signed-in browser only: a token cannot mint or list tokens. */
export const tokensRoutes =
  (deps: AuthDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/tokens',
      {
        preHandler: requireAuth('read'),
        schema: {
          tags,
          summary: 'My personal access tokens',
          response: { 200: z.object({ tokens: z.array(tokenSchema) }) },
        },
      },
      async (request) => ({
        tokens: await listTokens({ ...deps, userId: requireSession(request).userId }),
      }),
    );

    app.post(
      '/tokens',
      {
        preHandler: [requireAuth('write'), requireRecentAuth(deps, { during: 'token_create' })],
        schema: {
          tags,
          summary:
            'Create a personal access token (shown once); needs `currentPassword` unless signed in within five minutes',
          body: createTokenSchema,
          response: { 201: createdTokenSchema },
        },
      },
      async (request, reply) => {
        const auth = requireSession(request);
        const { name, scopes, expiresInDays } = request.body;
        const created = await createPersonalToken({
          ...deps,
          userId: auth.userId,
          name,
          scopes,
          expiresInDays,
          origin: requestOrigin(request),
        });
        reply.header('cache-control', 'no-store');
        return reply.status(201).send(created);
      },
    );

    app.delete(
      '/tokens/:id',
      {
        preHandler: requireAuth('write'),
        schema: { tags, summary: 'Revoke a personal access token', params: idParamsSchema },
      },
      async (request, reply) => {
        const auth = requireSession(request);
        await revokeToken({
          ...deps,
          userId: auth.userId,
          tokenId: request.params.id,
          origin: requestOrigin(request),
        });
        return reply.status(204).send();
      },
    );
  };
