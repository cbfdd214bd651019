import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

type Json = Record<string, unknown>;
type Response = { $ref?: string; content?: Record<string, { schema?: unknown }> };
type Operation = { responses?: Record<string, Response> };

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ajv-formats is CommonJS: under ESM its default export arrives wrapped once more.
const addFormats = (
  'default' in addFormatsPlugin ? addFormatsPlugin.default : addFormatsPlugin
) as (ajv: Ajv) => Ajv;

/** `/api/files/:id` (how Fastify names a route) → `/api/files/{id}` (how the document does). */
const documentPathOf = (routeUrl: string) => routeUrl.replace(/:([A-Za-z]+)/g, '{$1}');

const pointer = (...segments: string[]) =>
  segments.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** The committed document (`apps/server/openapi.json`), not one a test's own routes extend. */
export const readCommittedDocument = (): Json =>
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../openapi.json'), 'utf8')) as Json;

/**
 * Holds every answer a test app gives against the OpenAPI document: an operation's
 * status must be one it documents (or an error under `default`), and a JSON body must match the
 * schema documented for that status. The route tests thereby test the document too.
 * Mismatches are collected (with the test that caused them) and reported by `assertConforms`,
 * which `createTestApp`'s `close()` calls, so a mismatch fails the file that produced it.
 */
export const watchResponsesAgainstDocument = (
  app: FastifyInstance,
  readDocument: () => Json = readCommittedDocument,
) => {
  const mismatches: string[] = [];
  let ajv: Ajv | undefined;
  let paths: Record<string, Record<string, Operation>> = {};
  let sharedResponses: Record<string, Response> = {};
  const validators = new Map<string, ValidateFunction | null>();

  const load = () => {
    const document = readDocument();
    paths = (isObject(document.paths) ? document.paths : {}) as typeof paths;
    const components = isObject(document.components) ? document.components : {};
    sharedResponses = (isObject(components.responses) ? components.responses : {}) as Record<
      string,
      Response
    >;
    // OpenAPI 3.0 keywords (`nullable`, `example`) are not JSON Schema: strict mode off, and
    // ajv's own `nullable` support on.
    ajv = new Ajv({ strict: false, allErrors: false });
    addFormats(ajv);
    ajv.addSchema({ ...document, $id: 'openapi' });
    return ajv;
  };

  const validatorFor = (path: string, method: string, status: string) => {
    const key = `${method} ${path} ${status}`;
    if (!validators.has(key)) {
      // An error status is usually `$ref: '#/components/responses/…'`.
      const response = paths[path]?.[method]?.responses?.[status];
      const shared = response?.$ref?.replace('#/components/responses/', '');
      const [where, found] =
        shared === undefined
          ? [pointer('paths', path, method, 'responses', status), response]
          : [pointer('components', 'responses', shared), sharedResponses[shared]];
      validators.set(
        key,
        found?.content?.['application/json']?.schema === undefined
          ? null
          : (ajv ?? load()).compile({
              $ref: `openapi#/${where}/${pointer('content', 'application/json', 'schema')}`,
            }),
      );
    }
    return validators.get(key) ?? null;
  };

  // Built before the first request, so no test's timing pays for it.
  app.addHook('onReady', async () => {
    load();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const routeUrl = request.routeOptions.url;
    if (routeUrl === undefined) return payload;
    const path = documentPathOf(routeUrl);
    const method = request.method.toLowerCase();
    const operation = paths[path]?.[method];
    if (!operation) return payload;
    const responses = operation.responses ?? {};
    const status = String(reply.statusCode);
    const where = `${request.method} ${path} → ${status} (${expect.getState().currentTestName ?? 'outside a test'})`;
    const documented = status in responses ? status : 'default';
    if (documented === 'default' && reply.statusCode < 400) {
      mismatches.push(`${where}: status not documented`);
      return payload;
    }
    const contentType = String(reply.getHeader('content-type') ?? '');
    // Bytes, streams and compressed answers are documented by media type, not by schema.
    if (!contentType.startsWith('application/json') || typeof payload !== 'string') return payload;
    const validate = validatorFor(path, method, documented);
    if (!validate) {
      mismatches.push(`${where}: a JSON body where the document has none`);
      return payload;
    }
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch {
      mismatches.push(`${where}: the body is not JSON`);
      return payload;
    }
    if (!validate(body)) {
      mismatches.push(`${where}: ${ajv?.errorsText(validate.errors) ?? 'invalid'}`);
    }
    return payload;
  });

  return {
    mismatches,
    assertConforms: () => {
      if (mismatches.length > 0) {
        throw new Error(
          `Answers that do not match apps/server/openapi.json:\n${[...new Set(mismatches)].join('\n')}`,
        );
      }
    },
  };
};
