import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { allowedOrigins } from '../../app/origins.js';
import { userChannel } from '../../event-bus/event-fanout.js';
import type { EventLog } from '../../event-log/event-log.types.js';
import { isEventId } from '../../event-log/event-log.types.js';
import type { PubSub } from '../../pubsub/pubsub.types.js';
import { forbidden } from '../auth/auth.errors.js';
import { getAuth, requireAuth } from '../auth/auth.hooks.js';
import { createEventStream } from './events.stream.js';
import { keepSocketAlive, sendJson } from './socket-keepalive.js';

/**
 * A browser sends the page's Origin on every WebSocket handshake; a socket authenticated by
 * cookie from any other origin is cross-site WebSocket hijacking and is refused before upgrade.
 * Scripts using a Bearer token may connect without an Origin.
 */
const ensureSameOrigin = (publicUrl: string) => {
  const allowed = new Set(allowedOrigins(publicUrl));
  return async (request: FastifyRequest) => {
    const origin = request.headers.origin;
    const auth = getAuth(request);
    if (origin === undefined && auth.via === 'token') return;
    if (origin === undefined || !allowed.has(origin))
      throw forbidden('This origin may not open the event stream.');
  };
};

export const eventsRoutes =
  ({
    pubsub,
    eventLog,
    publicUrl,
    socketRoutes = [],
  }: {
    pubsub: PubSub;
    eventLog: EventLog;
    publicUrl: string;
    /** Other WebSocket routes (a share link's events), registered beside the WebSocket plugin. */
    socketRoutes?: FastifyPluginAsyncZod[];
  }): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(websocket, { options: { maxPayload: 4096 } });
    for (const routes of socketRoutes) await app.register(routes);

    app.get(
      '/api/events',
      {
        websocket: true,
        schema: {
          tags: ['events'],
          summary:
            'WebSocket: every change to my data, live; `?since=<last id>` replays what was missed',
          querystring: z.object({
            since: z
              .string()
              .refine(isEventId, 'must be an event id such as 1732250000000-0')
              .optional(),
          }),
        },
        preHandler: [requireAuth('read'), ensureSameOrigin(publicUrl)],
      },
      async (socket: WebSocket, request) => {
        const auth = getAuth(request);
        const stream = createEventStream({
          auth,
          send: sendJson(socket),
          close: (code, reason) => socket.close(code, reason),
        });
        let unsubscribe: (() => Promise<void>) | undefined;
        keepSocketAlive(socket, () => void unsubscribe?.());

        try {
          unsubscribe = await pubsub.subscribe(userChannel(auth.userId), stream.receive);
          const { since } = request.query;
          const replay = since ? await eventLog.readSince(auth.userId, since) : undefined;
          stream.start(replay);
          if (socket.readyState !== socket.OPEN) await unsubscribe();
        } catch (error) {
          request.log.warn({ err: error }, 'event stream could not start');
          socket.close(1011, 'The event stream is unavailable; reconnect shortly.');
        }
      },
    );
  };
