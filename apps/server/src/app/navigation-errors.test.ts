import Fastify from 'fastify';
import { afterAll, expect, test } from 'vitest';
import { notFound } from './app-error.js';
import { registerErrorHandlers } from './error-handler.js';
import { unauthenticated } from '../modules/auth/auth.errors.js';

const app = Fastify();
registerErrorHandlers(app);
app.get('/api/files/:id/content', (request) => {
  throw (request.params as { id: string }).id === 'gone'
    ? notFound('No such <file>.')
    : unauthenticated();
});
afterAll(() => app.close());

const navigation = { 'sec-fetch-mode': 'navigate', host: 'nas.example.test' };

test('a signed-out navigation to a download is sent to sign in, back to the page it came from', async () => {
  const response = await app.inject({
    url: '/api/files/a/content',
    headers: { ...navigation, referer: 'http://nas.example.test/folders/f1?x=1' },
  });
  expect(response.statusCode).toBe(303);
  expect(response.headers.location).toBe(`/sign-in?next=${encodeURIComponent('/folders/f1?x=1')}`);
});

test('another site as referrer returns to the home page', async () => {
  const response = await app.inject({
    url: '/api/files/a/content',
    headers: { ...navigation, referer: 'https://evil.example/x' },
  });
  expect(response.headers.location).toBe(`/sign-in?next=${encodeURIComponent('/')}`);
});

test('other errors on a navigation are a page in words, escaped, with a way home', async () => {
  const response = await app.inject({ url: '/api/files/gone/content', headers: navigation });
  expect(response.statusCode).toBe(404);
  expect(response.headers['content-type']).toMatch(/^text\/html/);
  expect(response.body).toContain('No such &lt;file&gt;.');
  expect(response.body).toContain('<a href="/">Back to My files</a>');
});

test('scripts and API clients still get the JSON error', async () => {
  const response = await app.inject({ url: '/api/files/a/content' });
  expect(response.statusCode).toBe(401);
  expect(response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
});
