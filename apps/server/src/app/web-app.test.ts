import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/test-app.js';

const inlineScript = "window.started = fetch('/api/auth/me');";

describe('serving the web app', () => {
  let webDir: string;
  let testApp: TestApp;
  beforeAll(async () => {
    webDir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-web-'));
    await fs.mkdir(path.join(webDir, 'assets'));
    await fs.writeFile(
      path.join(webDir, 'index.html'),
      `<!doctype html><title>My File</title><script>${inlineScript}</script>`,
    );
    await fs.writeFile(path.join(webDir, 'assets', 'index-abc123.js'), 'console.log(1)');
    // What the build writes beside each asset (deliberately different bytes, to tell them apart).
    await fs.writeFile(path.join(webDir, 'assets', 'index-abc123.js.br'), 'BROTLI');
    await fs.writeFile(path.join(webDir, 'assets', 'index-abc123.js.gz'), 'GZIP');
    testApp = await createTestApp({ webDir });
  });
  afterAll(async () => {
    await testApp.close();
    await fs.rm(webDir, { recursive: true, force: true });
  });

  const get = (url: string, accept = 'text/html') =>
    testApp.app.inject({ method: 'GET', url, headers: { accept } });

  test('/ serves index.html, never cached stale', async () => {
    const response = await get('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain('<title>My File</title>');
  });

  test("the CSP lets index.html's inline script run by its hash, and no other", async () => {
    const hash = createHash('sha256').update(inlineScript).digest('base64');
    const csp = String((await get('/')).headers['content-security-policy']);
    const scriptSrc = csp.split(';').find((directive) => directive.startsWith('script-src'));
    expect(scriptSrc).toBe(`script-src 'self' 'sha256-${hash}'`);
  });

  test('a deep link of the SPA serves index.html', async () => {
    const response = await get('/folders/0190a1b2-c3d4?sort=name');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>My File</title>');
  });

  test('fingerprinted assets are cached for a year', async () => {
    const response = await get('/assets/index-abc123.js', '*/*');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  test('assets go out as the brotli or gzip file the build made, by Accept-Encoding', async () => {
    const asset = (acceptEncoding: string) =>
      testApp.app.inject({
        method: 'GET',
        url: '/assets/index-abc123.js',
        headers: { accept: '*/*', 'accept-encoding': acceptEncoding },
      });
    const br = await asset('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.body).toBe('BROTLI');
    expect((await asset('gzip')).body).toBe('GZIP');
    const plain = await asset('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log(1)');
  });

  test('unknown API routes and missing files stay JSON 404s', async () => {
    for (const url of ['/api/nothing', '/assets/missing.js', '/favicon.ico']) {
      const response = await get(url);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  test('a path-traversal attempt never escapes the web directory', async () => {
    const response = await get('/assets/..%2f..%2f..%2fetc%2fpasswd', '*/*');
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('root:');
  });
});
