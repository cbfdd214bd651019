import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AuthDeps } from '../auth/auth.deps.js';
import { requireAuth, requireSession } from '../auth/auth.hooks.js';
import { requestOrigin } from '../auth/auth.models.js';
import { PER_IP } from '../auth/limits/auth.limits.js';
import { requireRecentAuth } from '../auth/recent-auth/recent-auth.hook.js';
import { replySignedIn } from '../auth/signed-in.reply.js';
import { finishSignInWithCode } from './second-factor-sign-in.usecases.js';
import * as schemas from './two-factor.schemas.js';
import {
  confirmTotpEnrolment,
  disableTwoFactor,
  getTwoFactorStatus,
  regenerateRecoveryCodes,
  startTotpEnrolment,
} from './two-factor.usecases.js';

const tags = ['auth'];

/** TOTP two-factor: set up and turned off from a signed-in browser; the sign-in's second step. */
export const twoFactorRoutes =
  (deps: AuthDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/2fa',
      {
        preHandler: requireAuth('read'),
        schema: {
          tags,
          summary: 'Whether two-factor authentication is on, and recovery codes left',
          response: { 200: schemas.twoFactorStatusSchema },
        },
      },
      async (request) => getTwoFactorStatus({ ...deps, userId: requireSession(request).userId }),
    );

    app.post(
      '/2fa/totp/enrol',
      {
        preHandler: [requireAuth('write'), requireRecentAuth(deps, { during: 'two_factor_enrol' })],
        schema: {
          tags,
          summary: 'Start TOTP set-up: a new secret and its QR code (needs a recent sign-in)',
          body: schemas.recentAuthBodySchema,
          response: { 200: schemas.totpEnrolmentSchema },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return startTotpEnrolment({ ...deps, userId: requireSession(request).userId });
      },
    );

    app.post(
      '/2fa/totp/confirm',
      {
        preHandler: [requireAuth('write'), requireRecentAuth(deps, { during: 'two_factor_enrol' })],
        schema: {
          tags,
          summary: 'Turn two-factor on with a first code; answers the recovery codes, once',
          body: schemas.confirmTotpSchema,
          response: { 200: schemas.recoveryCodesSchema },
        },
      },
      async (request, reply) => {
        const auth = requireSession(request);
        const recoveryCodes = await confirmTotpEnrolment({
          ...deps,
          userId: auth.userId,
          sessionId: auth.sessionId,
          origin: requestOrigin(request),
          code: request.body.code,
        });
        reply.header('cache-control', 'no-store');
        return { recoveryCodes };
      },
    );

    app.post(
      '/2fa/recovery-codes',
      {
        preHandler: [
          requireAuth('write'),
          requireRecentAuth(deps, { during: 'recovery_codes_regenerate' }),
        ],
        schema: {
          tags,
          summary: 'Replace the recovery codes with ten new ones, answered once',
          body: schemas.recentAuthBodySchema,
          response: { 200: schemas.recoveryCodesSchema },
        },
      },
      async (request, reply) => {
        const auth = requireSession(request);
        const recoveryCodes = await regenerateRecoveryCodes({
          ...deps,
          userId: auth.userId,
          sessionId: auth.sessionId,
          origin: requestOrigin(request),
        });
        reply.header('cache-control', 'no-store');
        return { recoveryCodes };
      },
    );

    app.post(
      '/2fa/disable',
      {
        preHandler: requireAuth('write'),
        config: { rateLimit: PER_IP.login },
        schema: {
          tags,
          summary:
            'Turn two-factor off: needs the password (a recent sign-in on an account without one) and a code',
          body: schemas.disableTwoFactorSchema,
          response: { 200: schemas.okSchema },
        },
      },
      async (request) => {
        const auth = requireSession(request);
        await disableTwoFactor({
          ...deps,
          userId: auth.userId,
          sessionId: auth.sessionId,
          origin: requestOrigin(request),
          ...request.body,
        });
        return { status: 'ok' as const };
      },
    );

    app.post(
      '/login/second-factor',
      {
        config: { rateLimit: PER_IP.login },
        schema: {
          tags,
          summary: 'Finish a sign-in with an authenticator code or a recovery code',
          body: schemas.secondFactorSignInSchema,
          response: { 200: schemas.signedInSchema },
        },
      },
      async (request, reply) => {
        const session = await finishSignInWithCode({
          ...deps,
          ...request.body,
          origin: requestOrigin(request),
        });
        return replySignedIn(reply, deps, session);
      },
    );
  };
