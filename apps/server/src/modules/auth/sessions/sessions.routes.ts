import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../../app/app-error.js';
import type { AuthDeps } from '../auth.deps.js';
import { requireAuth, requireSession } from '../auth.hooks.js';
import { requestOrigin } from '../auth.models.js';
import { idParamsSchema, sessionSchema } from '../auth.schemas.js';
import { listSessions, revokeOtherSessions, revokeSession } from './sessions.usecases.js';

const tags = ['auth'];

export const sessionsRoutes =
  (deps: AuthDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/sessions',
      {
        preHandler: requireAuth('read'),
        schema: {
          tags,
          summary: 'My active sessions',
          response: { 200: z.object({ sessions: z.array(sessionSchema) }) },
        },
      },
      async (request) => {
        const auth = requireSession(request);
        return {
          sessions: await listSessions({
            ...deps,
            userId: auth.userId,
            currentSessionId: auth.sessionId,
          }),
        };
      },
    );

    app.delete(
      '/sessions/:id',
      {
        preHandler: requireAuth('write'),
        schema: { tags, summary: 'Revoke one of my sessions', params: idParamsSchema },
      },
      async (request, reply) => {
        const auth = requireSession(request);
        const revoked = await revokeSession({
          ...deps,
          userId: auth.userId,
          sessionId: request.params.id,
          currentSessionId: auth.sessionId,
          origin: requestOrigin(request),
        });
        if (!revoked) throw notFound('No such session.');
        return reply.status(204).send();
      },
    );

    app.delete(
      '/sessions',
      {
        preHandler: requireAuth('write'),
        schema: {
          tags,
          summary: 'Sign out everywhere else; `?tokens=true` also revokes every personal token',
          querystring: z.object({ tokens: z.enum(['true', 'false']).default('false') }),
          response: { 200: z.object({ revoked: z.number(), revokedTokens: z.number() }) },
        },
      },
      async (request) => {
        const auth = requireSession(request);
        return revokeOtherSessions({
          ...deps,
          userId: auth.userId,
          currentSessionId: auth.sessionId,
          includeTokens: request.query.tokens === 'true',
          origin: requestOrigin(request),
        });
      },
    );
  };
