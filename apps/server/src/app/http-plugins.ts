import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Config } from '../config/config.js';

export const registerSecurityPlugins = async (app: FastifyInstance, config: Config) => {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: config.PUBLIC_URL.startsWith('https://'),
  });
  // Only the app's own origin may call the API with credentials.
  await app.register(cors, {
    origin: [new URL(config.PUBLIC_URL).origin],
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: [
      'Content-Type',
      'X-CSRF-Token',
      'Authorization',
      'Range',
      'If-None-Match',
      'Tus-Resumable',
      'Upload-Length',
      'Upload-Offset',
      'Upload-Metadata',
    ],
    exposedHeaders: [
      'ETag',
      'Content-Disposition',
      'Retry-After',
      'Location',
      'Upload-Offset',
      'Upload-Length',
      'X-Request-Id',
    ],
    maxAge: 600,
  });
};

export const registerOpenApi = async (app: FastifyInstance, config: Config) => {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'My File API',
        description:
          'Self-hostable, secure file management. Errors: `{ "error": { "code", "message" } }`.',
        version: '0.1.0',
      },
      servers: [{ url: config.PUBLIC_URL }],
    },
    transform: jsonSchemaTransform,
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
