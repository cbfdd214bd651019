import {
  createdLinkSchema,
  createLinkBodySchema,
  linkUrlSchema,
  shareLinkListSchema,
  shareLinkSchema,
} from '@myfile/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { KeyRing } from '../../keys/key-ring.models.js';
import type { PubSub } from '../../pubsub/pubsub.types.js';
import { actorOf } from '../access/access.request.js';
import type { AuthDeps } from '../auth/auth.deps.js';
import { requireAuth } from '../auth/auth.hooks.js';
import { requireRecentAuth } from '../auth/recent-auth/recent-auth.hook.js';
import { idParamsSchema } from '../nodes/nodes.schemas.js';
import { toShareLinkDto } from './links.models.js';
import type { LinkDeps } from './links.visitor-routes.js';
import {
  createShareLink,
  listShareLinks,
  revealShareLink,
  revokeShareLink,
} from './links.usecases.js';

const tags = ['sharing'];

/** The owner's side of share links: make, list (with counters), copy again and revoke. */
export const linkRoutes =
  ({
    db,
    publicUrl,
    ring,
    pubsub,
    auth,
  }: Pick<LinkDeps, 'db' | 'publicUrl'> & {
    ring: () => KeyRing;
    pubsub: PubSub;
    auth: AuthDeps;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('read'));
    // A link password guards what it shares like an account password: setting one is a
    // sensitive action, with the same recent-sign-in window as the others.
    const recentAuth = requireRecentAuth(auth, { during: 'link_password' });

    app.post(
      '/api/nodes/:id/links',
      {
        schema: {
          tags,
          summary:
            'Make a share link to a file or folder (owner only): viewer, or uploader (a drop box on a folder); optional password (needs a recent sign-in, like other sensitive actions), expiry, download limit and label. The owner can copy it again later (GET /api/links/{id}/url).',
          params: idParamsSchema,
          body: createLinkBodySchema,
          response: { 201: createdLinkSchema },
        },
        preHandler: async function (request, reply) {
          if (request.body.password !== undefined) await recentAuth.call(this, request, reply);
        },
      },
      async (request, reply) => {
        const { link, token, url } = await createShareLink({
          db,
          ring: ring(),
          publicUrl,
          actor: actorOf(request),
          id: request.params.id,
          body: request.body,
        });
        return reply.status(201).send({ ...toShareLinkDto(link), token, url });
      },
    );

    app.get(
      '/api/nodes/:id/links',
      {
        schema: {
          tags,
          summary: "A file or folder's share links with their counters (owner only)",
          params: idParamsSchema,
          response: { 200: shareLinkListSchema },
        },
      },
      async (request) => ({
        items: (await listShareLinks({ db, actor: actorOf(request), id: request.params.id })).map(
          toShareLinkDto,
        ),
      }),
    );

    app.get(
      '/api/links/:id/url',
      {
        schema: {
          tags,
          summary:
            "A share link's token and URL again, to copy (owner only; anybody else: 404). 409 link_not_copyable for links made before tokens were kept; 410 link_expired once revoked.",
          params: idParamsSchema,
          response: { 200: linkUrlSchema },
        },
      },
      async (request, reply) => {
        // A secret in the answer: no shared cache keeps it.
        reply.header('cache-control', 'no-store');
        return revealShareLink({
          db,
          ring: ring(),
          publicUrl,
          actor: actorOf(request),
          id: request.params.id,
        });
      },
    );

    app.delete(
      '/api/links/:id',
      {
        schema: {
          tags,
          summary: 'Revoke a share link (owner only): it answers 410 link_expired from then on',
          params: idParamsSchema,
          response: { 200: shareLinkSchema },
        },
      },
      async (request) =>
        toShareLinkDto(
          await revokeShareLink({ db, pubsub, actor: actorOf(request), id: request.params.id }),
        ),
    );
  };
