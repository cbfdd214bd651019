import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAuthDeps } from '../modules/auth/auth.deps.js';
import { createPersonalToken } from '../modules/auth/tokens/personal-tokens.usecases.js';
import { fixturesOf } from '../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../test-support/test-app.js';

/**
 * The served document is committed as `apps/server/openapi.json` so `redocly lint` (in
 * `npm run check`) reads it without starting a server, and so a review shows API changes.
 * `UPDATE_OPENAPI=1 npx vitest run apps/server/src/app/openapi-document.test.ts` rewrites it.
 */
const COMMITTED = path.resolve(import.meta.dirname, '../../openapi.json');

type Operation = {
  operationId: string;
  security: Record<string, string[]>[];
  responses: Record<string, unknown>;
};
type Document = { paths: Record<string, Record<string, Operation>> };

let testApp: TestApp;
let document: Document;
beforeAll(async () => {
  testApp = await createTestApp({ env: { PUBLIC_URL: 'http://localhost:8080' } });
  const response = await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' });
  document = response.json<Document>();
});
afterAll(async () => testApp.close());

const operations = () =>
  Object.entries(document.paths).flatMap(([url, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase() as 'GET',
      // Any id will do: authentication is decided before the resource is looked up.
      url: url.replace(/\{[^}]+\}/g, '0190a4c8-0000-7000-8000-000000000000'),
      operation,
    })),
  );

test('the committed OpenAPI document is the one the server serves', async () => {
  const served = `${JSON.stringify(document, null, 2)}\n`;
  if (process.env.UPDATE_OPENAPI === '1') await fs.writeFile(COMMITTED, served);
  const committed = await fs.readFile(COMMITTED, 'utf8').catch(() => '');
  expect(committed, 'run with UPDATE_OPENAPI=1 and commit apps/server/openapi.json').toBe(served);
});

describe('what the document says about access is what the server does', () => {
  test('every operation has a unique operationId and declares its security', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { method, url, operation } of operations()) {
      expect(Array.isArray(operation.security), `${method} ${url}`).toBe(true);
      if (operation.security.length > 0)
        expect(operation.responses, `${method} ${url}`).toHaveProperty('401');
    }
  });

  test('operations that need credentials answer 401 to a refused Bearer token; public ones do not', async () => {
    const mismatches: string[] = [];
    for (const { method, url, operation } of operations()) {
      const response = await testApp.app.inject({
        method,
        url,
        headers: { authorization: 'Bearer mf_pat_this_token_does_not_exist_00000' },
      });
      // A body or query that fails validation is refused before authentication runs.
      if (response.statusCode === 400) continue;
      const secured = operation.security.length > 0;
      if (secured !== (response.statusCode === 401)) {
        mismatches.push(
          `${method} ${url}: documented ${secured ? 'secured' : 'public'}, got ${response.statusCode}`,
        );
      }
    }
    expect(mismatches).toEqual([]);
  });

  test('operations documented for sessions only refuse a valid personal token (403)', async () => {
    const user = await fixturesOf(testApp.context).newUser();
    const { token } = await createPersonalToken({
      ...createAuthDeps(testApp.context),
      userId: user.userId,
      name: 'openapi test',
      scopes: ['read', 'write'],
      expiresInDays: 1,
      origin: { ip: '198.18.0.1', userAgent: 'test' },
    });
    const mismatches: string[] = [];
    for (const { method, url, operation } of operations()) {
      if (operation.security.length === 0) continue;
      const tokenAllowed = operation.security.some((requirement) => 'bearerToken' in requirement);
      const response = await testApp.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.statusCode === 400) continue;
      if (!tokenAllowed && response.statusCode !== 403) {
        mismatches.push(`${method} ${url}: documented session-only, got ${response.statusCode}`);
      }
      if (tokenAllowed && [401, 403].includes(response.statusCode)) {
        mismatches.push(`${method} ${url}: documented for tokens, got ${response.statusCode}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

test('byte routes document their real statuses and media types', () => {
  type Responses = Record<string, { content?: Record<string, unknown> }>;
  const responsesOf = (url: string) =>
    (document.paths[url]?.get?.responses ?? {}) as unknown as Responses;
  const content = responsesOf('/api/files/{id}/content');
  expect(Object.keys(content)).toEqual(expect.arrayContaining(['200', '206', '304', '416']));
  expect(content['206']?.content).toHaveProperty('application/octet-stream');
  expect(responsesOf('/api/files/{id}/thumbnail')['200']?.content).toHaveProperty('image/webp');
  expect(responsesOf('/api/folders/{id}/zip')['200']?.content).toHaveProperty('application/zip');
});

test('tus and the event WebSocket are described: statuses, headers, message types', () => {
  type Described = {
    parameters?: { name: string; in: string }[];
    responses: Record<string, { headers?: Record<string, unknown> }>;
    description?: string;
    'x-websocket-messages'?: unknown;
  };
  const operation = (url: string, method: string) =>
    document.paths[url]?.[method] as unknown as Described;
  const creation = operation('/api/uploads', 'post');
  expect(creation.parameters?.map(({ name }) => name)).toEqual(
    expect.arrayContaining(['Tus-Resumable', 'Upload-Length', 'Upload-Metadata']),
  );
  expect(creation.responses['201']?.headers).toHaveProperty('Location');
  expect(operation('/api/uploads/{uploadId}', 'patch').responses['204']?.headers).toHaveProperty(
    'Upload-Offset',
  );
  expect(operation('/api/uploads/{uploadId}', 'head').responses['200']?.headers).toHaveProperty(
    'Upload-Offset',
  );
  expect(operation('/api/uploads/{uploadId}', 'delete').responses).toHaveProperty('204');
  expect(operation('/api/uploads', 'options').responses['204']?.headers).toHaveProperty(
    'Tus-Extension',
  );
  const events = operation('/api/events', 'get');
  expect(events.responses).toHaveProperty('101');
  for (const type of ['file.created', 'folder.archived', 'session.revoked', 'share.changed']) {
    expect(events.description).toContain(`\`${type}\``);
  }
  expect(JSON.stringify(events['x-websocket-messages'])).toContain('"ready"');
  const linkEvents = operation('/api/s/{token}/events', 'get');
  expect(linkEvents.responses).toHaveProperty('101');
  expect(linkEvents.responses).toHaveProperty('410');
  expect(linkEvents.description).toContain('`node.added`');
  expect(JSON.stringify(linkEvents['x-websocket-messages'])).toContain('"ready"');
});

test('shared shapes are named components with real formats', () => {
  const schemas = (document as unknown as { components: { schemas: Record<string, Json> } })
    .components.schemas;
  type Json = { properties?: Record<string, { format?: string; type?: string }> };
  expect(Object.keys(schemas)).toEqual(
    expect.arrayContaining(['Error', 'Node', 'ChildrenPage', 'Share', 'ShareLink', 'Account']),
  );
  const node = schemas.Node?.properties ?? {};
  expect(node.id?.format).toBe('uuid');
  expect(node.createdAt?.format).toBe('date-time');
  expect(node.size?.type).toBe('integer');
  const children = document.paths['/api/folders/{id}/children']?.get?.responses['200'];
  expect(JSON.stringify(children)).toContain('#/components/schemas/ChildrenPage');
});
