import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifySchema } from 'fastify';
import { afterEach, expect, test } from 'vitest';
import { watchResponsesAgainstDocument } from './response-conformance.js';

/**
 * The check every route test runs through `createTestApp`, held to a tiny app of its own so a
 * lying answer can be provoked without breaking a real route. Handlers send strings, so
 * nothing is serialised (or fixed) on the way out.
 */
const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const appAnswering = async (status: number, body: string) => {
  const app = Fastify();
  apps.push(app);
  await app.register(swagger, {
    openapi: {
      info: { title: 't', version: '1' },
      components: {
        schemas: {
          Error: {
            type: 'object',
            required: ['error'],
            properties: { error: { type: 'object', required: ['code'] } },
          },
        },
        responses: {
          Problem: {
            description: 'an error',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      },
    },
    // Every operation of the real document has a `default` error response; so has this one.
    transformObject: (documentObject) => {
      const document = ('openapiObject' in documentObject
        ? documentObject.openapiObject
        : {}) as unknown as { paths: Record<string, Record<string, { responses: object }>> };
      const operation = document.paths['/things/{id}']?.get;
      if (operation) {
        operation.responses = {
          ...operation.responses,
          default: { $ref: '#/components/responses/Problem' },
        };
      }
      return document;
    },
  });
  const conformance = watchResponsesAgainstDocument(
    app,
    () => app.swagger() as unknown as Record<string, unknown>,
  );
  // Typed as a plain schema, so the handler may answer any status (that is the point).
  const schema: FastifySchema = {
    params: { type: 'object', properties: { id: { type: 'string' } } },
    response: {
      200: {
        type: 'object',
        required: ['size', 'at'],
        properties: {
          size: { type: 'integer' },
          at: { type: 'string', format: 'date-time' },
        },
      },
    },
  };
  app.get('/things/:id', { schema }, async (_request, reply) =>
    reply.code(status).type('application/json').send(body),
  );
  app.get('/undocumented', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/json').send('{"anything":1}'),
  );
  await app.ready();
  return { app, conformance };
};

test('an answer that matches its documented status and schema passes', async () => {
  const { app, conformance } = await appAnswering(
    200,
    '{"size":3,"at":"2026-12-04T10:00:00.000Z"}',
  );
  await app.inject({ url: '/things/a' });
  await app.inject({ url: '/undocumented' });
  expect(conformance.mismatches).toEqual([]);
  expect(() => conformance.assertConforms()).not.toThrow();
});

test.each([
  ['a wrong type', 200, '{"size":"3","at":"2026-12-04T10:00:00.000Z"}', /size must be integer/],
  ['a wrong format', 200, '{"size":3,"at":"yesterday"}', /at must match format "date-time"/],
  ['a missing field', 200, '{"size":3}', /must have required property 'at'/],
  ['an undocumented success status', 201, '{"size":3}', /status not documented/],
  [
    'an error body not in the error shape',
    404,
    '{"message":"nope"}',
    /must have required property 'error'/,
  ],
])('%s is reported and fails the file', async (_, status, body, expected) => {
  const { app, conformance } = await appAnswering(status, body);
  await app.inject({ url: '/things/a' });
  expect(conformance.mismatches).toEqual([expect.stringMatching(expected)]);
  expect(conformance.mismatches[0]).toContain(`GET /things/{id} → ${status}`);
  expect(() => conformance.assertConforms()).toThrow(/do not match apps\/server\/openapi.json/);
});
