import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthDeps } from '../auth.deps.js';
import { requireAuth, requireSession } from '../auth.hooks.js';
import { requestOrigin } from '../auth.models.js';
import { PER_IP } from '../limits/auth.limits.js';
import { okSchema, reauthMethodsSchema } from '../auth.schemas.js';
import { passkeyAssertionSchema } from '../../passkeys/passkeys.schemas.js';
import { verifyPasskeyAssertion } from '../../passkeys/passkeys.usecases.js';
import { listReauthMethods, reauthenticate, type ReauthProof } from './reauthenticate.usecases.js';

const reauthSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('password'), password: z.string().min(1).max(1024) }),
  z.object({ method: z.literal('code'), code: z.string().trim().min(6).max(40) }),
  passkeyAssertionSchema.extend({ method: z.literal('passkey') }),
]);

/**
 * A session re-proves its owner is present; for a few minutes after, sensitive actions pass
 * without asking again. A 403 `reauth_required` from one of them is the cue to call this.
 */
export const recentAuthRoutes =
  (deps: AuthDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/reauth',
      {
        preHandler: requireAuth('read'),
        schema: {
          tags: ['auth'],
          summary: 'The methods I can confirm it is me with (password, code, passkey)',
          response: { 200: reauthMethodsSchema },
        },
      },
      async (request) => ({
        methods: await listReauthMethods({ ...deps, userId: requireSession(request).userId }),
      }),
    );

    app.post(
      '/reauth',
      {
        preHandler: requireAuth('write'),
        config: { rateLimit: PER_IP.login },
        schema: {
          tags: ['auth'],
          summary: 'Confirm it is you (password, code or passkey) before a sensitive action',
          body: reauthSchema,
          response: { 200: okSchema },
        },
      },
      async (request) => {
        const auth = requireSession(request);
        const body = request.body;
        const origin = requestOrigin(request);
        let proof: ReauthProof;
        switch (body.method) {
          case 'password':
            proof = { method: 'password', password: body.password };
            break;
          case 'code':
            proof = { method: 'code', code: body.code };
            break;
          case 'passkey':
            proof = {
              method: 'passkey',
              verify: async () => {
                const passkey = await verifyPasskeyAssertion({
                  ...deps,
                  ...body,
                  expectedUserId: auth.userId,
                  origin,
                  failStatus: 403,
                  during: 'reauth',
                });
                return { passkeyId: passkey.id };
              },
            };
            break;
        }
        await reauthenticate({
          ...deps,
          userId: auth.userId,
          sessionId: auth.sessionId,
          origin,
          proof,
        });
        return { status: 'ok' as const };
      },
    );
  };
