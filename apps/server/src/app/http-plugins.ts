import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type { Config } from '../config/config.js';
import { completeDocument, transformRoute } from './openapi-document.js';
import { allowedOrigins, servesHttps } from './origins.js';

export const registerSecurityPlugins = async (
  app: FastifyInstance,
  config: Config,
  { scriptHashes = [] }: { scriptHashes?: readonly string[] } = {},
) => {
  const https = servesHttps(config.PUBLIC_URL);
  // Built once: @fastify/helmet rebuilt this middleware (parsing every directive) per request.
  const setSecurityHeaders = helmet({
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
  });
  app.addHook('onRequest', (request, reply, done) => {
    setSecurityHeaders(request.raw, reply.raw, () => done());
  });
  // Only the app's own origin (and, on a loopback PUBLIC_URL, its aliases) may call with credentials.
  await app.register(cors, {
    origin: allowedOrigins(config.PUBLIC_URL),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
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
    ],
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
    ],
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
