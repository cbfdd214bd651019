import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { createS3BlobStorage } from '../blob-storage/drivers/s3/s3.blob-storage.js';
import { createTestDatabase } from '../test-support/test-database.js';
import { AppError } from './app-error.js';

describe('the HTTP server', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({
      env: { BODY_LIMIT_BYTES: '2048', PUBLIC_URL: 'https://files.example.com' },
    });
    const app = testApp.app.withTypeProvider<ZodTypeProvider>();
    // Routes that exist only to provoke each kind of failure through the real error handler.
    app.post(
      '/api/test/echo',
      { schema: { body: z.object({ name: z.string().min(1), size: z.number().int() }) } },
      async (request) => request.body,
    );
    app.get('/api/test/crash', async () => {
      throw new Error('select secret from users where password = 42');
    });
    app.get('/api/test/db-down', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), {
        code: 'ECONNREFUSED',
      });
    });
    app.get('/api/test/conflict', async () => {
      throw new AppError({
        code: 'name_conflict',
        statusCode: 409,
        message: 'A file named "a" already exists.',
      });
    });
  });
  afterAll(() => testApp.close());

  test('GET /healthz answers while the process is alive', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  test('GET /readyz checks the database and the store', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'ok', storage: 'ok', disk: 'ok' });
  });

  test('an unknown route is 404 not_found in the error shape', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/nothing-here?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'not_found', message: 'No route for GET /api/nothing-here.' },
    });
  });

  test('a validation failure is 400 invalid_request naming the field', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: { name: 'a', size: 'big' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_request', field: 'size' } });
    expect(response.json<{ error: { message: string } }>().error.message).toMatch(/size/);
  });

  test('a missing field is named too', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: { size: 1 },
    });
    expect(response.json()).toMatchObject({ error: { code: 'invalid_request', field: 'name' } });
  });

  test('malformed JSON is 400 invalid_request', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { code: 'invalid_request', message: 'The request body is not valid JSON.' },
    });
  });

  test('a body over the limit is 413 too_large', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: { name: 'x'.repeat(4096), size: 1 },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: { code: 'too_large' } });
  });

  test('an unsupported content type is 415', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'x',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  test('an unexpected error is 500 internal with no stack, SQL or message leaked', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/test/crash' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: { code: 'internal', message: 'Something went wrong on our side.' },
    });
    expect(response.body).not.toMatch(/select|password|at .*\.ts/);
  });

  test('a dependency that cannot be reached is 503 unavailable', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/test/db-down' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ error: { code: 'unavailable' } });
    expect(response.body).not.toContain('10.0.0.5');
  });

  test('an AppError keeps its status and code', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/test/conflict' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      error: { code: 'name_conflict', message: 'A file named "a" already exists.' },
    });
  });

  test('every answer carries security headers and a request id', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('CORS allows only PUBLIC_URL with credentials', async () => {
    const allowed = await testApp.app.inject({
      method: 'OPTIONS',
      url: '/api/test/echo',
      headers: { origin: 'https://files.example.com', 'access-control-request-method': 'POST' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://files.example.com');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const refused = await testApp.app.inject({
      method: 'OPTIONS',
      url: '/api/test/echo',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await testApp.app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { origin: 'https://files.example.com' },
    });
    expect(simple.headers).toMatchObject({
      'access-control-allow-origin': 'https://files.example.com',
      'access-control-allow-credentials': 'true',
      vary: expect.stringMatching(/origin/i) as unknown,
    });
    expect(simple.headers['access-control-expose-headers']).toContain('X-Request-Id');
    // Not asked by an allowed page: no CORS header at all, not even the credentials flag.
    for (const headers of [{ origin: 'https://evil.example' }, {}]) {
      const answer = await testApp.app.inject({ method: 'GET', url: '/api/openapi.json', headers });
      expect(
        Object.keys(answer.headers).filter((name) => name.startsWith('access-control-')),
      ).toEqual([]);
    }
  });

  test('the OpenAPI document and its docs page are served', async () => {
    const document = await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(document.statusCode).toBe(200);
    const openapi = document.json<{ openapi: string; info: { title: string } }>();
    expect(openapi.openapi).toMatch(/^3\./);
    expect(openapi.info.title).toBe('My File API');
    expect(Object.keys(document.json<{ paths: object }>().paths)).toContain('/readyz');
    const docs = await testApp.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });
});

describe('readiness when a dependency is down', () => {
  test('database down: /readyz is 503 unavailable', async () => {
    const database = await createTestDatabase();
    const testApp = await createTestApp({
      database: {
        ...database,
        ping: () =>
          Promise.reject(
            Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
          ),
      },
    });
    try {
      const response = await testApp.app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        error: { code: 'unavailable', message: 'The database is unreachable.' },
      });
    } finally {
      await testApp.close();
    }
  });

  test('blob store unreachable: /readyz is 503 unavailable within its timeout', async () => {
    const testApp = await createTestApp({
      blobStorage: createS3BlobStorage({
        bucket: 'files',
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
    });
    try {
      const started = Date.now();
      const response = await testApp.app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        error: { code: 'unavailable', message: 'The blob store is unreachable.' },
      });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await testApp.close();
    }
  });
});
