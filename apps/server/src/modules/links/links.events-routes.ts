import { LINK_ENDED_CLOSE_CODE } from '@myfile/contract';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { allowedOrigins } from '../../app/origins.js';
import type { Db } from '../../db/database.js';
import type { PubSub } from '../../pubsub/pubsub.types.js';
import { forbidden } from '../auth/auth.errors.js';
import { readCookie } from '../auth/auth.cookies.js';
import type { AuthDeps } from '../auth/auth.deps.js';
import { authorizeNode } from '../access/access.usecases.js';
import { keepSocketAlive, sendJson } from '../events/socket-keepalive.js';
import { linkChannel, type LinkChannelMessage } from './links.audience.js';
import { linkActorOf, openLink, type LinkVisit } from './links.usecases.js';
/** setTimeout's longest delay; a later expiry is checked again when it fires. */
const MAX_TIMER_MS = 2_147_483_647;

export type LinkEventsDeps = { db: Db; pubsub: PubSub; publicUrl: string; auth: AuthDeps };

/**
 * A viewer link's live changes: a WebSocket at the link's own path (where its password cookie
 * is sent), authenticated by the token like every visitor route. It hears only the link's
 * subtree (the fan-out resolves which links see an event), and closes with 4410 when the link is
 * revoked (on any instance: the revocation is published on the link's channel) or expires.
 * Must be registered where the WebSocket plugin is (the events routes).
 */
export const linkEventRoutes =
  ({ db, pubsub, publicUrl, auth }: LinkEventsDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const allowed = new Set(allowedOrigins(publicUrl));
    const grantCookie = `${auth.cookies.secure ? '__Secure-' : ''}mf_link`;
    const visits = new WeakMap<FastifyRequest, LinkVisit>();

    app.get(
      '/api/s/:token/events',
      {
        websocket: true,
        schema: {
          tags: ['share links'],
          summary:
            "WebSocket: a viewer link's subtree, live (files and folders added, changed, removed); closed with 4410 when the link is revoked or expires",
          params: z.object({ token: z.string().max(128) }),
        },
        preHandler: async (request) => {
          // A browser always names the page's origin on a WebSocket handshake: another site's
          // page must not ride on the link's cookie.
          const origin = request.headers.origin;
          if (origin !== undefined && !allowed.has(origin)) {
            throw forbidden('This origin may not open the event stream.');
          }
          const { token } = request.params;
          const visit = await openLink({
            db,
            ring: auth.ring(),
            token,
            grant: readCookie(request, grantCookie),
          });
          // A drop box may not see what is inside; the one rule says so (403).
          await authorizeNode({
            db,
            actor: linkActorOf(visit),
            id: visit.link.node_id,
            action: 'read',
          });
          visits.set(request, visit);
        },
      },
      async (socket: WebSocket, request) => {
        const visit = visits.get(request);
        if (!visit) return socket.close(1011, 'The link could not be read.');
        const { link } = visit;
        const end = () =>
          socket.close(LINK_ENDED_CLOSE_CODE, 'This link has expired or was turned off.');
        const send = sendJson(socket);
        let unsubscribe: (() => Promise<void>) | undefined;
        let expiry: NodeJS.Timeout | undefined;
        keepSocketAlive(socket, () => {
          clearTimeout(expiry);
          void unsubscribe?.();
        });
        const watchExpiry = () => {
          if (!link.expires_at) return;
          const left = link.expires_at.getTime() - Date.now();
          if (left <= 0) return end();
          expiry = setTimeout(watchExpiry, Math.min(left, MAX_TIMER_MS));
        };
        try {
          unsubscribe = await pubsub.subscribe(linkChannel(link.id), (raw) => {
            let message: LinkChannelMessage;
            try {
              message = JSON.parse(raw) as LinkChannelMessage;
            } catch {
              return;
            }
            if (message.type === 'ended') end();
            else send({ type: 'event', event: message.event });
          });
          // Revoked between the handshake and the subscription: that message was missed.
          await openLink({
            db,
            ring: auth.ring(),
            token: request.params.token,
            grant: readCookie(request, grantCookie),
          });
          watchExpiry();
          send({ type: 'ready' });
          if (socket.readyState !== socket.OPEN) await unsubscribe();
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 410) return end();
          if ((error as { statusCode?: number }).statusCode === 404) return end();
          request.log.warn({ err: error }, 'link event stream could not start');
          socket.close(1011, 'The event stream is unavailable; reconnect shortly.');
        }
      },
    );
  };
