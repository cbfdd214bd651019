import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import type { Config } from '../config/config.js';
import { completeDocument, transformRoute } from './openapi-document.js';
import { allowedOrigins, servesHttps } from './origins.js';

type Middleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * The headers a middleware sets, recorded once at start. Helmet's are the same for every request
 * (no directive here depends on one), so running its eleven middlewares per request only
 * rebuilt the same strings.
 */
const recordHeaders = (middleware: Middleware): Record<string, string> => {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  let finished = false;
  let failure: unknown;
  middleware(request, response, (error) => {
    failure = error;
    finished = true;
  });
  if (!finished || failure !== undefined) {
    throw new Error('The security headers middleware did not finish at once.', { cause: failure });
  }
  return Object.fromEntries(
    Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]),
  );
};

export const registerSecurityPlugins = async (
  app: FastifyInstance,
  config: Config,
  { scriptHashes = [] }: { scriptHashes?: readonly string[] } = {},
) => {
  const https = servesHttps(config.PUBLIC_URL);
  const securityHeaders = recordHeaders(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", ...scriptHashes],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          // Over plain http (a NAS on the LAN) this would fetch every asset over https: a blank page.
          upgradeInsecureRequests: https ? [] : null,
        },
      },
      crossOriginEmbedderPolicy: false,
      // Browsers ignore it on an untrustworthy (plain http) origin and log an error on every page.
      crossOriginOpenerPolicy: https,
      hsts: https,
    }),
  );
  // Set on the reply, not on the raw response as helmet does: with no `res.setHeader` call Node
  // writes the reply's headers as one object, without copying each through `setHeader` first.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  // Only the app's own origin (and, on a loopback PUBLIC_URL, its aliases) may call with credentials.
  // A request from anywhere else, or from no page at all (same-origin GETs, curl, WebDAV and tus
  // clients), gets no CORS headers: with a list here the plugin still sent the credentials flag
  // and the exposed headers (~400 bytes) on every answer.
  const origins = new Set(allowedOrigins(config.PUBLIC_URL));
  await app.register(cors, {
    origin: (origin: string | undefined, allow: (error: null, origin: string | false) => void) =>
      allow(null, origin !== undefined && origins.has(origin) ? origin : false),
    credentials: true,
    // Joined once here: the plugin joins a list again on every request.
    methods: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    allowedHeaders: [
      'Content-Type',
      'X-CSRF-Token',
      'Authorization',
      'Range',
      'If-None-Match',
      'If-Match',
      'Tus-Resumable',
      'Upload-Length',
      'Upload-Offset',
      'Upload-Metadata',
      'Upload-Checksum',
      'X-HTTP-Method-Override',
      'Idempotency-Key',
    ].join(', '),
    exposedHeaders: [
      'ETag',
      'Content-Disposition',
      'Retry-After',
      'Location',
      'Upload-Offset',
      'Upload-Length',
      'Upload-Expires',
      'Tus-Resumable',
      'Tus-Version',
      'Tus-Extension',
      'Tus-Max-Size',
      'Tus-Checksum-Algorithm',
      'X-File-Id',
      'X-Request-Id',
      'RateLimit-Policy',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'Idempotent-Replayed',
    ].join(', '),
    maxAge: 600,
  });
};

export const registerOpenApi = async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'My File API',
        description:
          'Self-hostable, secure file management. Errors: `{ "error": { "code", "message" } }`.',
        version: '0.1.0',
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      // Relative to where the document is served, so it holds for every deployment.
      servers: [{ url: '/' }],
    },
    transform: transformRoute,
    transformObject: completeDocument,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    // The plugin sets its own CSP on the docs routes. Swagger UI applies inline styles, so those
    // (never inline scripts) are allowed there; the page shows no user content.
    staticCSP: true,
    transformStaticCSP: (header) =>
      header.replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'"),
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};
