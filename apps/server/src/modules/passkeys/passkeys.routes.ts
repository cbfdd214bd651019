import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SignInWaysDeps } from '../auth/accounts/sign-in-ways.usecases.js';
import type { AuthDeps } from '../auth/auth.deps.js';
import { requireAuth, requireSession } from '../auth/auth.hooks.js';
import { requestOrigin } from '../auth/auth.models.js';
import { PER_IP } from '../auth/limits/auth.limits.js';
import { requireRecentAuth } from '../auth/recent-auth/recent-auth.hook.js';
import { replySignedIn } from '../auth/signed-in.reply.js';
import { findPendingSignIn } from '../two-factor/second-factor-sign-in.usecases.js';
import * as schemas from './passkeys.schemas.js';
import {
  finishPasskeyRegistration,
  listAccountPasskeys,
  removeAccountPasskey,
  renameAccountPasskey,
  signInWithPasskey,
  startPasskeyAssertion,
  startPasskeyRegistration,
} from './passkeys.usecases.js';

const tags = ['auth'];
const idParams = z.object({ id: z.uuid() });

/** Passkeys (WebAuthn): managed from a signed-in browser; a way to sign in, alone or second. */
export const passkeysRoutes =
  (deps: AuthDeps & SignInWaysDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/passkeys',
      {
        preHandler: requireAuth('read'),
        schema: {
          tags,
          summary: 'My passkeys',
          response: { 200: z.object({ passkeys: z.array(schemas.passkeySchema) }) },
        },
      },
      async (request) => ({
        passkeys: await listAccountPasskeys({ ...deps, userId: requireSession(request).userId }),
      }),
    );

    app.post(
      '/passkeys/register/options',
      {
        preHandler: [requireAuth('write'), requireRecentAuth(deps, { during: 'passkey_add' })],
        schema: {
          tags,
          summary: 'Options for registering a passkey (needs a recent sign-in)',
          body: schemas.recentAuthBodySchema,
          response: { 200: schemas.ceremonyOptionsSchema },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return startPasskeyRegistration({ ...deps, userId: requireSession(request).userId });
      },
    );

    app.post(
      '/passkeys',
      {
        preHandler: [requireAuth('write'), requireRecentAuth(deps, { during: 'passkey_add' })],
        schema: {
          tags,
          summary: 'Register a passkey with the browser’s answer to the options',
          body: schemas.registerPasskeySchema,
          response: { 201: schemas.passkeySchema },
        },
      },
      async (request, reply) => {
        const auth = requireSession(request);
        const origin = requestOrigin(request);
        const passkey = await finishPasskeyRegistration({
          ...deps,
          userId: auth.userId,
          sessionId: auth.sessionId,
          origin,
          challengeToken: request.body.challengeToken,
          response: request.body.response,
          name: request.body.name,
          userAgent: origin.userAgent,
        });
        return reply.status(201).send(passkey);
      },
    );

    app.patch(
      '/passkeys/:id',
      {
        preHandler: [requireAuth('write'), requireRecentAuth(deps, { during: 'passkey_rename' })],
        schema: {
          tags,
          summary: 'Rename a passkey',
          params: idParams,
          body: schemas.renamePasskeySchema,
          response: { 200: schemas.passkeySchema },
        },
      },
      async (request) => {
        const auth = requireSession(request);
        return renameAccountPasskey({
          ...deps,
          userId: auth.userId,
          sessionId: auth.sessionId,
          origin: requestOrigin(request),
          id: request.params.id,
          name: request.body.name,
        });
      },
    );

    app.delete(
      '/passkeys/:id',
      {
        preHandler: [requireAuth('write'), requireRecentAuth(deps, { during: 'passkey_remove' })],
        schema: {
          tags,
          summary: 'Remove a passkey',
          params: idParams,
          response: { 200: schemas.okSchema },
        },
      },
      async (request) => {
        const auth = requireSession(request);
        await removeAccountPasskey({
          ...deps,
          userId: auth.userId,
          sessionId: auth.sessionId,
          origin: requestOrigin(request),
          id: request.params.id,
        });
        return { status: 'ok' as const };
      },
    );

    app.post(
      '/passkeys/reauth/options',
      {
        preHandler: requireAuth('write'),
        schema: {
          tags,
          summary: 'Options for confirming it is you with a passkey (then POST /api/auth/reauth)',
          response: { 200: schemas.ceremonyOptionsSchema },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return startPasskeyAssertion({ ...deps, forUserId: requireSession(request).userId });
      },
    );

    app.post(
      '/login/passkey/options',
      {
        config: { rateLimit: PER_IP.login },
        schema: {
          tags,
          summary:
            'Options for signing in with a passkey: alone (any of this site’s), or as the second factor of a pending sign-in',
          body: schemas.passkeyOptionsRequestSchema,
          response: { 200: schemas.ceremonyOptionsSchema },
        },
      },
      async (request, reply) => {
        const { pendingToken } = request.body;
        const pending = pendingToken
          ? await findPendingSignIn({ ...deps, pendingToken })
          : undefined;
        reply.header('cache-control', 'no-store');
        return startPasskeyAssertion({ ...deps, forUserId: pending?.user.id });
      },
    );

    app.post(
      '/login/passkey',
      {
        config: { rateLimit: PER_IP.login },
        schema: {
          tags,
          summary: 'Sign in with a passkey',
          body: schemas.passkeySignInSchema,
          response: { 200: schemas.signedInSchema },
        },
      },
      async (request, reply) => {
        const session = await signInWithPasskey({
          ...deps,
          challengeToken: request.body.challengeToken,
          response: request.body.response,
          pendingToken: request.body.pendingToken,
          origin: requestOrigin(request),
        });
        return replySignedIn(reply, deps, session);
      },
    );
  };
