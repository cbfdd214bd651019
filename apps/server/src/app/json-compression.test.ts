import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signUp, uploadOne, type TestUser } from '../modules/nodes/nodes.test-utils.js';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { pickEncoding, registerJsonCompression } from './json-compression.js';

describe('JSON answers are compressed; file bytes never are', () => {
  let testApp: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    testApp = await createTestApp();
    user = await signUp(testApp.app);
  });
  afterAll(() => testApp.close());

  const get = (url: string, acceptEncoding: string, headers: Record<string, string> = {}) =>
    testApp.app.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': acceptEncoding, ...headers },
    });

  test('a large JSON answer goes brotli to a browser, gzip to gzip-only clients, plain to others', async () => {
    const plain = await get('/api/openapi.json', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(10_000);

    const br = await get('/api/openapi.json', 'gzip, deflate, br, zstd');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);

    const gz = await get('/api/openapi.json', 'gzip;q=1, br;q=0');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
  });

  test('a small JSON answer is left as it is', async () => {
    const response = await get('/api/auth/csrf', 'br');
    expect(response.headers['content-encoding']).toBeUndefined();
    // The same bytes whatever the client accepts: nothing for a cache to vary on.
    expect(String(response.headers.vary)).not.toMatch(/accept-encoding/i);
    expect(response.json()).toHaveProperty('csrfToken');
  });

  test('a download of a compressible (JSON) file keeps its stored bytes, length and ranges', async () => {
    const content = JSON.stringify({ rows: Array.from({ length: 500 }, (_, id) => ({ id })) });
    const file = await uploadOne(testApp.app, user, { name: 'rows.json', content });
    const whole = await get(`/api/files/${file.id}/content`, 'br, gzip', user.headers);
    expect(whole.headers['content-encoding']).toBeUndefined();
    expect(whole.headers['content-length']).toBe(String(content.length));
    expect(whole.body).toBe(content);
    const part = await get(`/api/files/${file.id}/content`, 'br, gzip', {
      ...user.headers,
      range: 'bytes=0-9',
    });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-encoding']).toBeUndefined();
    expect(part.body).toBe(content.slice(0, 10));
  });
});

test('pickEncoding prefers brotli and honours q=0', () => {
  expect(pickEncoding('gzip, deflate, br')).toBe('br');
  expect(pickEncoding('br;q=0, gzip')).toBe('gzip');
  expect(pickEncoding('br;q=0.0,gzip;q=0')).toBeUndefined();
  expect(pickEncoding(undefined)).toBeUndefined();
  expect(pickEncoding('identity')).toBeUndefined();
});

test('a body held in memory that is not JSON (an image, a text) keeps its bytes', async () => {
  const app = Fastify();
  registerJsonCompression(app);
  const bytes = Buffer.alloc(8192, 'a');
  app.get('/thumbnail', (_request, reply) => reply.type('image/webp').send(bytes));
  app.get('/text', (_request, reply) => reply.type('text/plain').send(bytes.toString()));
  for (const url of ['/thumbnail', '/text']) {
    const response = await app.inject({ url, headers: { 'accept-encoding': 'br, gzip' } });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.rawPayload.equals(bytes)).toBe(true);
  }
  await app.close();
});
