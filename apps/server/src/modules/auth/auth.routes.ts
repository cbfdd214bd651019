import type { FastifyReply } from 'fastify';
import { isAppError } from '../../app/app-error.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  getAccount,
  listAccountSecurityEvents,
  registerAccount,
  signIn,
  verifyEmail,
} from './accounts/accounts.usecases.js';
import { clearSessionCookies, readCookie, setPreSessionCookie } from './auth.cookies.js';
import type { AuthDeps } from './auth.deps.js';
import { unauthenticated } from './auth.errors.js';
import { getAuth, hasBearer, requireAuth, requireSession } from './auth.hooks.js';
import { PER_IP } from './limits/auth.limits.js';
import { requestOrigin } from './auth.models.js';
import * as schemas from './auth.schemas.js';
import { csrfBindings } from './csrf/csrf.hook.js';
import { issueCsrfToken } from './csrf/csrf.models.js';
import {
  changePassword,
  requestPasswordReset,
  resetPassword,
} from './passwords/passwords.usecases.js';
import { randomSecret } from './secrets.models.js';
import { replySignedIn, setSessionCookies as setCookiesOfSession } from './signed-in.reply.js';
import { refreshSession, signOut, type IssuedSession } from './sessions/sessions.usecases.js';

const tags = ['auth'];

export const authRoutes =
  (deps: AuthDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const setSessionCookies = (reply: FastifyReply, session: IssuedSession) =>
      setCookiesOfSession(reply, deps, session);

    app.get(
      '/csrf',
      {
        schema: {
          tags,
          summary: 'A CSRF token for this session (or, before sign-in, this browser)',
          response: { 200: schemas.csrfResponseSchema },
        },
      },
      async (request, reply) => {
        const session = (await csrfBindings({ ...deps, request })).find(
          (binding) => binding.kind === 's',
        );
        let preSession = readCookie(request, deps.cookies.names.preSession);
        if (!preSession) {
          preSession = randomSecret(24);
          setPreSessionCookie(reply, deps.cookies, preSession);
        }
        reply.header('cache-control', 'no-store');
        return { csrfToken: issueCsrfToken(deps.ring(), session ?? { kind: 'p', id: preSession }) };
      },
    );

    app.post(
      '/register',
      {
        config: { rateLimit: PER_IP.register },
        schema: {
          tags,
          summary: 'Create an account',
          body: schemas.credentialsSchema,
          response: { 201: schemas.registeredSchema, 202: schemas.registeredSchema },
        },
      },
      async (request, reply) => {
        const result = await registerAccount({
          ...deps,
          ...request.body,
          origin: requestOrigin(request),
        });
        if (result.kind === 'verification_sent') {
          return reply.status(202).send({ status: 'verification_sent' as const });
        }
        setSessionCookies(reply, result.session);
        return reply.status(201).send({
          status: 'signed_in' as const,
          user: { id: result.session.userId, email: request.body.email.trim() },
          csrfToken: result.session.csrfToken,
        });
      },
    );

    app.post(
      '/login',
      {
        config: { rateLimit: PER_IP.login },
        schema: {
          tags,
          summary: 'Sign in (with a second factor on, this is the first of two steps)',
          body: schemas.credentialsSchema,
          response: { 200: schemas.signInAnswerSchema },
        },
      },
      async (request, reply) => {
        const result = await signIn({
          ...deps,
          ...request.body,
          deviceCookie: readCookie(request, deps.cookies.names.device),
          origin: requestOrigin(request),
        });
        if (result.kind === 'second_factor_required') {
          reply.header('cache-control', 'no-store');
          return {
            status: 'second_factor_required' as const,
            methods: result.methods,
            pendingToken: result.pendingToken,
          };
        }
        return replySignedIn(reply, deps, result.session);
      },
    );

    app.post(
      '/refresh',
      {
        config: { rateLimit: PER_IP.refresh },
        schema: {
          tags,
          summary: 'Rotate the refresh token and get a new access token',
          response: { 200: schemas.csrfResponseSchema },
        },
      },
      async (request, reply) => {
        try {
          const session = await refreshSession({
            ...deps,
            refreshToken: readCookie(request, deps.cookies.names.refresh),
            origin: requestOrigin(request),
          });
          setSessionCookies(reply, session);
          return { csrfToken: session.csrfToken };
        } catch (error) {
          // A dead session's cookies are useless; a rate limit or an outage must not sign out.
          if (isAppError(error) && error.code === 'unauthenticated') {
            clearSessionCookies(reply, deps.cookies);
          }
          throw error;
        }
      },
    );

    app.post(
      '/logout',
      { schema: { tags, summary: 'Sign out this session', response: { 200: schemas.okSchema } } },
      async (request, reply) => {
        // With a Bearer header cookies are never read, so a script cannot end a browser session.
        if (hasBearer(request)) return { status: 'ok' as const };
        await signOut({
          ...deps,
          refreshToken: readCookie(request, deps.cookies.names.refresh),
          accessToken: readCookie(request, deps.cookies.names.access),
          origin: requestOrigin(request),
        });
        clearSessionCookies(reply, deps.cookies);
        return { status: 'ok' as const };
      },
    );

    app.get(
      '/me',
      {
        preHandler: requireAuth('read'),
        schema: {
          tags,
          summary: 'The signed-in account',
          response: { 200: schemas.accountSchema },
        },
      },
      async (request) => {
        const account = await getAccount(deps, getAuth(request).userId);
        if (!account) throw unauthenticated();
        return account;
      },
    );

    app.post(
      '/verify-email',
      {
        config: { rateLimit: PER_IP.verify },
        schema: {
          tags,
          summary: 'Confirm an email address with the mailed link',
          body: schemas.linkTokenSchema,
          response: { 200: schemas.okSchema },
        },
      },
      async (request) => {
        await verifyEmail({ ...deps, token: request.body.token, origin: requestOrigin(request) });
        return { status: 'ok' as const };
      },
    );

    app.post(
      '/password/forgot',
      {
        config: { rateLimit: PER_IP.forgot },
        schema: {
          tags,
          summary: 'Mail a reset link (same answer for every address)',
          body: schemas.forgotSchema,
          response: { 202: schemas.okSchema },
        },
      },
      async (request, reply) => {
        await requestPasswordReset({
          ...deps,
          email: request.body.email,
          origin: requestOrigin(request),
        });
        return reply.status(202).send({ status: 'ok' as const });
      },
    );

    app.post(
      '/password/reset',
      {
        config: { rateLimit: PER_IP.reset },
        schema: {
          tags,
          summary: 'Set a new password with the mailed link; ends every session and token',
          body: schemas.resetSchema,
          response: { 200: schemas.okSchema },
        },
      },
      async (request, reply) => {
        await resetPassword({ ...deps, ...request.body, origin: requestOrigin(request) });
        clearSessionCookies(reply, deps.cookies);
        return { status: 'ok' as const };
      },
    );

    app.post(
      '/password/change',
      {
        preHandler: requireAuth('write'),
        config: { rateLimit: PER_IP.login },
        schema: {
          tags,
          summary:
            'Change the password (needs the current one); ends other sessions and every token',
          body: schemas.changePasswordSchema,
          response: { 200: schemas.okSchema },
        },
      },
      async (request) => {
        const auth = requireSession(request);
        await changePassword({ ...deps, ...auth, ...request.body, origin: requestOrigin(request) });
        return { status: 'ok' as const };
      },
    );

    app.get(
      '/events',
      {
        preHandler: requireAuth('read'),
        schema: {
          tags,
          summary: 'My security events, newest first',
          querystring: schemas.eventsQuerySchema,
          response: { 200: z.object({ events: z.array(schemas.securityEventSchema) }) },
        },
      },
      async (request) => ({
        events: await listAccountSecurityEvents({
          ...request.query,
          db: deps.db,
          userId: getAuth(request).userId,
        }),
      }),
    );
  };
