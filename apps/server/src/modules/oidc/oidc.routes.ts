import {
  linkedProviderSchema,
  okSchema,
  providerRedirectSchema,
  signInMethodsSchema,
} from '@myfile/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isAppError } from '../../app/app-error.js';
import { readCookie } from '../auth/auth.cookies.js';
import { requireAuth, requireSession } from '../auth/auth.hooks.js';
import { requestOrigin } from '../auth/auth.models.js';
import { requireRecentAuth } from '../auth/recent-auth/recent-auth.hook.js';
import { setSessionCookies } from '../auth/signed-in.reply.js';
import type { OidcDeps } from './oidc.deps.js';
import { FLOW_TTL_SECONDS, safeNextPath } from './oidc.flow.models.js';
import { sendSignInErrorPage } from './oidc.page.js';
import {
  beginOidcFlow,
  completeOidcFlow,
  listLinkedProviders,
  unlinkProvider,
} from './oidc.usecases.js';

const tags = ['auth'];
const FLOW_COOKIE_PATH = '/api/auth/oidc';
const PER_IP = { max: 30, timeWindow: 60_000 };

const providerParams = z.object({ provider: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/) });

export const oidcRoutes =
  (deps: OidcDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const flowCookie = deps.cookies.secure ? '__Secure-mf_oidc' : 'mf_oidc';
    const cookieOptions = {
      httpOnly: true,
      secure: deps.cookies.secure,
      // Lax: the provider sends the browser back with a cross-site top-level GET.
      sameSite: 'lax',
      path: FLOW_COOKIE_PATH,
    } as const;
    const setFlowCookie = (reply: FastifyReply, sealed: string) =>
      reply.setCookie(flowCookie, sealed, { ...cookieOptions, maxAge: FLOW_TTL_SECONDS });

    /** Browser navigations answer with a page; anything unexpected still goes to the handler. */
    const asPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      work: () => Promise<FastifyReply>,
    ) => {
      try {
        return await work();
      } catch (error) {
        if (!isAppError(error) || (error.statusCode >= 500 && error.code !== 'sso_unavailable')) {
          throw error;
        }
        request.log.info({ err: error.cause ?? error, code: error.code }, 'single sign-on refused');
        return sendSignInErrorPage(reply, error, '/sign-in');
      }
    };

    app.get(
      '/providers',
      {
        config: { rateLimit: PER_IP },
        schema: {
          tags,
          summary: 'How one can sign in here: the password form, and the sign-in providers',
          response: { 200: signInMethodsSchema },
        },
      },
      async () => ({
        passwordSignIn: deps.passwordSignIn,
        providers: deps.providers.map((provider) => ({
          id: provider.id,
          label: provider.label,
          startUrl: `/api/auth/oidc/${provider.id}/start`,
        })),
      }),
    );

    app.get(
      '/:provider/start',
      {
        config: { rateLimit: PER_IP },
        schema: {
          hide: true,
          params: providerParams,
          querystring: z.object({ next: z.string().optional() }),
        },
      },
      async (request, reply) =>
        asPage(request, reply, async () => {
          const { url, sealedFlow } = await beginOidcFlow({
            ...deps,
            providerId: request.params.provider,
            mode: 'sign_in',
            userId: null,
            next: safeNextPath(request.query.next),
          });
          setFlowCookie(reply, sealedFlow);
          return reply.header('cache-control', 'no-store').redirect(url, 302);
        }),
    );

    app.get(
      '/:provider/callback',
      { config: { rateLimit: PER_IP }, schema: { hide: true, params: providerParams } },
      async (request, reply) => {
        // Whatever happens, this attempt is over: its state and verifier are never used twice.
        reply.clearCookie(flowCookie, cookieOptions);
        return asPage(request, reply, async () => {
          const outcome = await completeOidcFlow({
            ...deps,
            providerId: request.params.provider,
            query: request.url.split('?')[1] ?? '',
            sealedFlow: readCookie(request, flowCookie),
            origin: requestOrigin(request),
          });
          if (outcome.kind === 'signed_in') setSessionCookies(reply, deps, outcome.session);
          return reply.header('cache-control', 'no-store').redirect(outcome.next, 302);
        });
      },
    );

    app.post(
      '/:provider/link',
      {
        preHandler: requireAuth('write'),
        config: { rateLimit: PER_IP },
        schema: {
          tags,
          summary: 'Start linking a sign-in provider to my account (navigate to the answered URL)',
          params: providerParams,
          response: { 200: providerRedirectSchema },
        },
      },
      async (request, reply) => {
        const { userId } = requireSession(request);
        const { url, sealedFlow } = await beginOidcFlow({
          ...deps,
          providerId: request.params.provider,
          mode: 'link',
          userId,
          next: '/account',
        });
        setFlowCookie(reply, sealedFlow);
        reply.header('cache-control', 'no-store');
        return { url };
      },
    );

    app.get(
      '/identities',
      {
        preHandler: requireAuth('read'),
        schema: {
          tags,
          summary: 'Sign-in providers linked to my account',
          response: { 200: z.object({ identities: z.array(linkedProviderSchema) }) },
        },
      },
      async (request) => ({
        identities: await listLinkedProviders({ ...deps, userId: requireSession(request).userId }),
      }),
    );

    app.post(
      '/identities/:id/unlink',
      {
        preHandler: [requireAuth('write'), requireRecentAuth(deps, { during: 'sso_unlink' })],
        schema: {
          tags,
          summary:
            'Unlink a sign-in provider from my account (needs a recent sign-in; 409 when it is the last way to sign in)',
          params: z.object({ id: z.uuid() }),
          body: z.object({ currentPassword: z.string().min(1).max(1024).optional() }),
          response: { 200: okSchema },
        },
      },
      async (request) => {
        const auth = requireSession(request);
        await unlinkProvider({
          ...deps,
          userId: auth.userId,
          sessionId: auth.sessionId,
          origin: requestOrigin(request),
          id: request.params.id,
        });
        return { status: 'ok' as const };
      },
    );
  };
