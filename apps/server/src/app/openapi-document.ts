import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { EVENTS_OPERATION, LINK_EVENTS_OPERATION, TUS_OPERATIONS } from './openapi-protocols.js';

/**
 * What the route schemas cannot say on their own, added to the generated document: who may
 * call (security schemes), what goes wrong (the error shape and the statuses each operation
 * can answer), stable operation ids. The rules below mirror the auth hooks and the error
 * handler; `openapi-document.test.ts` calls every operation to check that they still do.
 */

/** Operations anyone may call. Every other documented operation needs a session or a token. */
const PUBLIC_ROUTES = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /api/auth/csrf',
  'POST /api/auth/register',
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/logout',
  'POST /api/auth/verify-email',
  'POST /api/auth/password/forgot',
  'POST /api/auth/password/reset',
  'POST /api/account/email/confirm',
  // Which sign-in methods the sign-in page offers.
  'GET /api/auth/oidc/providers',
  // tus discovery: which versions, extensions and sizes the upload endpoint supports.
  'OPTIONS /api/uploads',
]);

/**
 * Managing sessions, tokens, the password, two-factor, passkeys, linked providers, the account
 * itself and (for administrators) the instance takes a signed-in browser; a token is refused (403).
 */
const SESSION_ONLY_PREFIXES = [
  '/api/auth/sessions',
  '/api/auth/tokens',
  '/api/auth/password/change',
  '/api/auth/2fa',
  '/api/auth/passkeys',
  '/api/auth/reauth',
  '/api/auth/oidc/',
  '/api/admin/',
  '/api/account/',
];

/**
 * A share link's visitor has no account: the link's token in the path is the credential (and,
 * for a password-protected link, the grant cookie its unlock sets). See docs/sharing.md.
 */
const SHARE_LINK_PREFIX = '/api/s/';

/** Not part of the JSON API: WebDAV speaks its own protocol (see docs/webdav.md). */
const UNDOCUMENTED_PREFIXES = ['/dav'];

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `DELETE /api/trash/{id}` → `deleteTrashById`: unique as long as method + path are. */
const operationIdOf = (method: string, url: string) => {
  const words = url
    .split('/')
    .filter((segment) => segment !== '' && segment !== 'api')
    .map((segment) => {
      const param = /^[:{]([A-Za-z]+)\}?$/.exec(segment)?.[1];
      return param ? `by-${param}` : segment;
    })
    .join('-')
    .split(/[-_.]/)
    .filter(Boolean);
  return [
    method.toLowerCase(),
    ...words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)),
  ].join('');
};

const securityOf = (method: string, url: string) => {
  if (PUBLIC_ROUTES.has(`${method} ${url}`) || url.startsWith(SHARE_LINK_PREFIX)) return [];
  const cookie = UNSAFE.has(method) ? { sessionCookie: [], csrfToken: [] } : { sessionCookie: [] };
  return SESSION_ONLY_PREFIXES.some((prefix) => url.startsWith(prefix))
    ? [cookie]
    : [cookie, { bearerToken: [] }];
};

const methodsOf = (method: string | string[]) => (Array.isArray(method) ? method : [method]);

export const transformRoute: SwaggerTransform = (input) => {
  const { route, url } = input;
  if (UNDOCUMENTED_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`))) {
    return { schema: { ...input.schema, hide: true }, url };
  }
  const transformed = jsonSchemaTransform(input);
  // A route without a schema (a test's own) is documented as the plugin sees it.
  if (!isObject(transformed.schema)) return transformed;
  const { schema, url: documentedUrl } = transformed;
  // One params schema serves both `/api/uploads` and `/api/uploads/:uploadId`: document only
  // the parameters this path has.
  const inPath = new Set([...url.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1]));
  const params =
    isObject(schema.params) && isObject(schema.params.properties) ? schema.params : undefined;
  const pathParams = params
    ? Object.fromEntries(
        Object.entries(params.properties as Json).filter(([name]) => inPath.has(name)),
      )
    : {};
  // A route serving several methods is documented once per method by the plugin; the id and
  // the security are then fixed per method in completeDocument.
  const method = methodsOf(route.method)[0] ?? 'GET';
  const extra: Json = {
    params:
      Object.keys(pathParams).length > 0
        ? { ...params, properties: pathParams, required: Object.keys(pathParams) }
        : undefined,
    'x-rate-limited': isObject(route.config) && 'rateLimit' in route.config,
  };
  const response = isObject(schema.response) ? schema.response : undefined;
  // A DELETE with nothing to say answers 204 No Content.
  if (method === 'DELETE' && !response) {
    extra.response = { 204: { description: 'Done; nothing to return.', type: 'null' } };
  }
  return { schema: { ...schema, ...extra }, url: documentedUrl };
};

const errorResponse = (description: string, headers?: Json) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const rateLimitHeaders = {
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', minimum: 1 },
  },
  'RateLimit-Limit': {
    description:
      'Requests allowed in the window (personal-token calls; IETF RateLimit fields draft).',
    schema: { type: 'integer' },
  },
  'RateLimit-Remaining': {
    description: 'Requests left in the current window.',
    schema: { type: 'integer', minimum: 0 },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the window starts over.',
    schema: { type: 'integer', minimum: 0 },
  },
  'RateLimit-Policy': {
    description: 'The limit and its window in seconds, e.g. `600;w=60`.',
    schema: { type: 'string' },
  },
};

const ERROR_RESPONSES = {
  BadRequest: errorResponse(
    '`invalid_request`: a parameter or the body is not valid (`field` names it).',
  ),
  Unauthenticated: errorResponse('`unauthenticated`: no valid session cookie or Bearer token.', {
    'WWW-Authenticate': {
      description:
        '`Bearer realm="myfile"`, with `error="invalid_token"` when a token was refused.',
      schema: { type: 'string' },
    },
  }),
  Forbidden: errorResponse(
    '`csrf_invalid` (a cookie-authenticated change without a valid `X-CSRF-Token`) or `forbidden` (a token without the scope, or a role that does not allow it).',
  ),
  NotFound: errorResponse('`not_found`: it does not exist, or it is not yours to see.'),
  PasswordRequired: errorResponse(
    '`password_required`: the share link has a password and no valid grant cookie came with the request (`invalid_credentials` from unlock: a wrong password).',
  ),
  LinkExpired: errorResponse(
    '`link_expired`: the share link was revoked, has expired or has used up its downloads.',
  ),
  RateLimited: errorResponse(
    '`rate_limited`: too many requests; wait `Retry-After` seconds.',
    rateLimitHeaders,
  ),
  Unexpected: errorResponse(
    'Any other error in the same shape: 409 conflicts, 412 `precondition_failed` (a PATCH or a replace upload whose `If-Match` no longer matches the ETag), 413 `too_large`, 415, 503 `unavailable`.',
  ),
};

const SECURITY_SCHEMES = {
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'mf_access',
    description:
      'The access-token cookie set by `POST /api/auth/login` (named `__Host-mf_access` when served over https).',
  },
  csrfToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description:
      'Required with the session cookie on POST, PUT, PATCH and DELETE; from `GET /api/auth/csrf`.',
  },
  bearerToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'A personal access token (`Authorization: Bearer …`), rate limited per token.',
  },
};

const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });

const binary = (mediaType: string, description: string, headers: Json = {}) => ({
  description,
  headers,
  content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } },
});

const etagHeader = { ETag: { description: "The bytes' version.", schema: { type: 'string' } } };
const notModified = {
  description: 'Not modified: `If-None-Match` matched the ETag.',
  headers: etagHeader,
};

/**
 * Routes whose answer is bytes, not JSON: their schemas cannot say so (a response schema would
 * be used to serialise), so their statuses and media types are written here.
 */
const BYTE_OPERATIONS: Record<string, { responses: Json; requestBody?: Json }> = {
  'GET /api/files/{id}/content': {
    responses: {
      200: binary('application/octet-stream', 'The whole file, in its sniffed content type.', {
        ...etagHeader,
        'Content-Disposition': {
          description:
            '`attachment` (or `inline` for a safe type with `?inline=1`), RFC 6266 filename.',
          schema: { type: 'string' },
        },
      }),
      206: binary('application/octet-stream', 'The requested `Range`.', {
        ...etagHeader,
        'Content-Range': { description: '`bytes start-end/size`.', schema: { type: 'string' } },
      }),
      304: notModified,
      409: errorResponse('`file_archived`: restore its folder first.'),
      416: errorResponse('`range_not_satisfiable`: the range is outside the file.', {
        'Content-Range': { description: '`bytes */size`.', schema: { type: 'string' } },
      }),
    },
  },
  'GET /api/files/{id}/thumbnail': {
    responses: { 200: binary('image/webp', 'The thumbnail.', etagHeader), 304: notModified },
  },
  'GET /api/folders/{id}/zip': {
    responses: { 200: binary('application/zip', 'The folder as a zip, streamed.') },
  },
  'POST /api/folders/{id}/files': {
    responses: {},
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: {
              file: {
                type: 'array',
                items: { type: 'string', format: 'binary' },
                description: "One or more files; each part's filename is the new file's name.",
              },
            },
          },
        },
      },
    },
  },
};

const preconditionFailed = errorResponse(
  '`precondition_failed`: `If-Match` does not match the current `ETag` (or `*` and there is nothing to replace); nothing changed.',
);

/** JSON routes with errors of their own beyond the generic ones. */
const OWN_ERRORS: Record<string, Json> = {
  'PATCH /api/files/{id}': { 412: preconditionFailed },
  'PATCH /api/folders/{id}': { 412: preconditionFailed },
  'POST /api/folders/{id}/files': { 412: preconditionFailed },
  'POST /api/uploads': { 412: preconditionFailed },
  'PATCH /api/uploads/{uploadId}': { 412: preconditionFailed },
  'GET /api/links/{id}/url': {
    409: errorResponse(
      '`link_not_copyable`: the link was made before tokens were kept (or its key left the ring); it still opens, but its address cannot be shown again.',
    ),
    410: ref('LinkExpired'),
  },
};

/** A tus operation: its route documents the path parameter; the protocol says the rest. */
const withProtocol = (method: string, url: string, operation: Json): Json => {
  const protocol = TUS_OPERATIONS[`${method} ${url}`];
  if (!protocol) return operation;
  const own = Array.isArray(operation.parameters) ? (operation.parameters as Json[]) : [];
  const added = Array.isArray(protocol.parameters) ? (protocol.parameters as Json[]) : [];
  // The route's "Default Response" would claim a 200 with no headers.
  return { ...operation, ...protocol, parameters: [...own, ...added] };
};

const completeOperation = (method: string, url: string, routeOperation: Json) => {
  const operation = withProtocol(method, url, routeOperation);
  const security = securityOf(method, url);
  const responses = isObject(operation.responses) ? operation.responses : {};
  const parameters = Array.isArray(operation.parameters) ? (operation.parameters as Json[]) : [];
  const { 'x-rate-limited': rateLimited, ...rest } = operation;
  const errors: Record<string, Json> = {};
  if (parameters.length > 0 || operation.requestBody) errors['400'] = ref('BadRequest');
  if (security.length > 0) errors['401'] = ref('Unauthenticated');
  if (security.length > 0 || (UNSAFE.has(method) && url.startsWith('/api/auth/'))) {
    errors['403'] = ref('Forbidden');
  }
  // A resource named by id in the URL, or by its path in the tree (`?path=`), may not exist.
  if (
    parameters.some(
      (parameter) =>
        parameter.in === 'path' || (parameter.in === 'query' && parameter.name === 'path'),
    )
  ) {
    errors['404'] = ref('NotFound');
  }
  if (url.startsWith(SHARE_LINK_PREFIX)) {
    errors['401'] = ref('PasswordRequired');
    errors['403'] = ref('Forbidden');
    errors['410'] = ref('LinkExpired');
  }
  // Token calls are limited per token; the sign-in family per client address.
  if (rateLimited === true || security.length > 0) errors['429'] = ref('RateLimited');
  errors.default = ref('Unexpected');
  const bytes = BYTE_OPERATIONS[`${method} ${url}`];
  return {
    ...rest,
    ...(bytes?.requestBody ? { requestBody: bytes.requestBody } : {}),
    operationId:
      typeof rest.operationId === 'string' ? rest.operationId : operationIdOf(method, url),
    security,
    responses: {
      ...responses,
      ...errors,
      ...onlySuccesses(responses),
      ...(bytes ? bytes.responses : {}),
      ...OWN_ERRORS[`${method} ${url}`],
    },
  };
};

/** A route's own documented statuses win over the generic ones. */
const onlySuccesses = (responses: Json) =>
  Object.fromEntries(Object.entries(responses).filter(([status]) => status !== 'default'));

/** Every `#/components/schemas/X` the document reaches from its paths and responses. */
const referencedSchemas = (roots: unknown, schemas: Json) => {
  const seen = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const name =
        key === '$ref' && typeof child === 'string'
          ? /^#\/components\/schemas\/(.+)$/.exec(child)?.[1]
          : undefined;
      if (name !== undefined && !seen.has(name)) {
        seen.add(name);
        visit(schemas[name]);
      } else visit(child);
    }
  };
  visit(roots);
  return seen;
};

/** Formats whose name says it all: the regular expression zod checks them with is noise. */
const SELF_EXPLAINING_FORMATS = new Set(['uuid', 'date-time', 'email']);

/**
 * Two fixes to what zod emits for OpenAPI 3.0: a format's own regular expression is dropped,
 * and a nullable `$ref` (`allOf: [{ $ref }]` beside `nullable: true`, which OpenAPI 3.0.3 says
 * does not admit null, and which ajv and Redocly refuse) becomes "the ref, or null".
 */
const tidySchemas = (value: unknown, schemas: Json): unknown => {
  if (Array.isArray(value)) return value.map((entry) => tidySchemas(entry, schemas));
  if (!isObject(value)) return value;
  const tidy: Json = Object.fromEntries(
    Object.entries(value)
      .filter(
        ([key]) =>
          !(
            key === 'pattern' &&
            typeof value.format === 'string' &&
            SELF_EXPLAINING_FORMATS.has(value.format)
          ),
      )
      .map(([key, child]) => [key, tidySchemas(child, schemas)]),
  );
  const allOf: unknown = tidy.allOf;
  const only: unknown = Array.isArray(allOf) && allOf.length === 1 ? allOf[0] : undefined;
  const name = isObject(only) && typeof only.$ref === 'string' ? only.$ref.split('/').pop() : '';
  const target = name ? schemas[name] : undefined;
  if (tidy.nullable === true && tidy.type === undefined && isObject(target)) {
    const { nullable: _nullable, allOf: _allOf, ...rest } = tidy;
    // OpenAPI 3.0.3's null: a typed schema whose only value is null.
    return { ...rest, anyOf: [only, { type: target.type, nullable: true, enum: [null] }] };
  }
  return tidy;
};

export const completeDocument: SwaggerTransformObject = (documentObject) => {
  // The shapes named in the contract (`.meta({ id })`) become components/schemas; the routes
  // that answer them hold a $ref, so the route schema and the document share one definition.
  const document = jsonSchemaTransformObject(documentObject) as Json;
  const paths = {
    ...(isObject(document.paths) ? document.paths : {}),
    '/api/events': { get: EVENTS_OPERATION },
    '/api/s/{token}/events': { get: LINK_EVENTS_OPERATION },
  };
  const completedPaths = Object.fromEntries(
    Object.entries(paths).map(([url, item]) => [
      url,
      Object.fromEntries(
        Object.entries(isObject(item) ? item : {}).map(([method, operation]) => [
          method,
          isObject(operation) ? completeOperation(method.toUpperCase(), url, operation) : operation,
        ]),
      ),
    ]),
  );
  const components = isObject(document.components) ? document.components : {};
  const rawSchemas = isObject(components.schemas) ? components.schemas : {};
  const schemas = tidySchemas(rawSchemas, rawSchemas) as Json;
  // The type provider names an input and an output variant of every registered shape; keep
  // only those an operation uses, so the document has no dead components.
  const used = referencedSchemas([completedPaths, ERROR_RESPONSES], schemas);
  return {
    ...document,
    paths: tidySchemas(completedPaths, schemas),
    components: {
      ...components,
      schemas: Object.fromEntries(
        Object.keys(schemas)
          .filter((name) => used.has(name))
          .sort()
          .map((name) => [name, schemas[name]]),
      ),
      responses: ERROR_RESPONSES,
      securitySchemes: SECURITY_SCHEMES,
    },
  } as ReturnType<SwaggerTransformObject>;
};
