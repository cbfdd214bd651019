import {
  domainEventSchema,
  eventStreamMessageSchema,
  linkEventSchema,
  linkStreamMessageSchema,
} from '@myfile/contract';
import { z } from 'zod';

/**
 * The two endpoints whose meaning is in a protocol, not in a JSON body: tus 1.0 uploads
 * (headers in, headers out) and the event WebSocket. Their route schemas cannot say it, so
 * their operations are written here, from the tus 1.0 specification and `events.stream.ts`.
 */

type Json = Record<string, unknown>;

const header = (description: string, schema: Json = { type: 'string' }) => ({
  description,
  schema,
});

const TUS_RESUMABLE = header('The protocol version: always `1.0.0`.', {
  type: 'string',
  enum: ['1.0.0'],
});
const UPLOAD_OFFSET = header('How many bytes the server holds.', { type: 'integer', minimum: 0 });
const UPLOAD_EXPIRES = header(
  'When an unfinished upload is dropped (RFC 9110 date, 24 hours after its last change).',
);
const FILE_ID = header(
  'Once every byte arrived: the id of the file it became (`GET /api/files/{id}`).',
  { type: 'string', format: 'uuid' },
);

const requestHeader = (name: string, description: string, required: boolean, schema: Json) => ({
  name,
  in: 'header',
  required,
  description,
  schema,
});

const tusResumable = requestHeader('Tus-Resumable', 'Always `1.0.0`.', true, {
  type: 'string',
  enum: ['1.0.0'],
});
const uploadOffset = requestHeader(
  'Upload-Offset',
  "Where these bytes start; must equal the server's offset (`HEAD`), else 409.",
  true,
  { type: 'integer', minimum: 0 },
);

const chunkBody = (required: boolean) => ({
  required,
  content: {
    'application/offset+octet-stream': { schema: { type: 'string', format: 'binary' } },
  },
});

const tusErrors = (described: string) => ({
  description: `${described} Every refusal, tus's own included, is in the error shape.`,
});

export const TUS_OPERATIONS: Record<string, Json> = {
  'OPTIONS /api/uploads': {
    summary: 'tus discovery: versions, extensions, size limit',
    description: 'Open to anyone, as tus expects; a bare OPTIONS, not a CORS preflight.',
    responses: {
      204: {
        description: 'What this server speaks.',
        headers: {
          'Tus-Resumable': TUS_RESUMABLE,
          'Tus-Version': header('Versions spoken: `1.0.0`.'),
          'Tus-Extension': header(
            'Comma-separated: `creation`, `creation-with-upload`, `termination`, `expiration` (and `creation-defer-length`, which is refused: the length is reserved against the quota).',
          ),
          'Tus-Max-Size': header('`MAX_UPLOAD_BYTES`.', { type: 'integer' }),
        },
      },
    },
  },
  'POST /api/uploads': {
    summary: 'tus creation: start a resumable upload',
    description: [
      'Checks the name, folder, size limit and quota, and reserves `Upload-Length` bytes of the',
      'quota until the upload completes, is terminated or expires. With a body',
      '(`creation-with-upload`) the first bytes come along; an upload complete after this',
      'request (an empty file, or all of it) is a file at once (`X-File-Id`). A replace',
      '(`onConflict: replace`) may be made conditional with `If-Match`: checked here and again',
      'when the upload completes.',
      tusErrors(
        '409 `name_conflict`, 412 `precondition_failed` (`If-Match`), 413 `too_large`, 429 too many unfinished uploads, 507 `quota_exceeded`.',
      ).description,
    ].join(' '),
    parameters: [
      tusResumable,
      requestHeader(
        'Upload-Length',
        'The whole size in bytes; required (no deferred length).',
        true,
        {
          type: 'integer',
          minimum: 0,
        },
      ),
      requestHeader(
        'Upload-Metadata',
        'Comma-separated `key base64(value)` pairs: `filename` (required), `folderId` (default `root`), `onConflict` (`rename`, `fail` or `replace`; default `rename`).',
        false,
        { type: 'string' },
      ),
      requestHeader(
        'If-Match',
        'Only with `onConflict: replace`: the `ETag` (from `GET /api/files/{id}`) the replaced file must still have, a list of them, or `*` (the file must exist). Checked at creation (412, nothing created) and again, with the file locked, when the last byte arrives (412, and the upload is discarded: staged bytes deleted, reservation released).',
        false,
        { type: 'string' },
      ),
    ],
    requestBody: chunkBody(false),
    responses: {
      201: {
        description: 'Created.',
        headers: {
          Location: header('The upload URL, `/api/uploads/{uploadId}`.'),
          'Tus-Resumable': TUS_RESUMABLE,
          'Upload-Offset': UPLOAD_OFFSET,
          'Upload-Expires': UPLOAD_EXPIRES,
          'X-File-Id': FILE_ID,
        },
      },
    },
  },
  'HEAD /api/uploads/{uploadId}': {
    summary: 'tus: how far an upload got',
    parameters: [tusResumable],
    responses: {
      200: {
        description: 'The offset to resume from (no body); `X-File-Id` once complete.',
        headers: {
          'Tus-Resumable': TUS_RESUMABLE,
          'Upload-Offset': UPLOAD_OFFSET,
          'Upload-Length': header('The declared size.', { type: 'integer', minimum: 0 }),
          'Upload-Metadata': header('As sent at creation.'),
          'Cache-Control': header('`no-store`.'),
          'X-File-Id': FILE_ID,
        },
      },
    },
  },
  'PATCH /api/uploads/{uploadId}': {
    summary: 'tus: send bytes from an offset',
    description: tusErrors(
      "409 when `Upload-Offset` is not the server's, 415 without `Content-Type: application/offset+octet-stream`, 413 past the declared length, 412 `precondition_failed` when the creation's `If-Match` no longer matches the file it replaces (the upload is discarded). The last chunk makes the file (`X-File-Id`); a retried last chunk answers 204 again and stores nothing twice.",
    ).description,
    parameters: [tusResumable, uploadOffset],
    requestBody: chunkBody(true),
    responses: {
      204: {
        description: 'Stored.',
        headers: {
          'Tus-Resumable': TUS_RESUMABLE,
          'Upload-Offset': UPLOAD_OFFSET,
          'Upload-Expires': UPLOAD_EXPIRES,
          'X-File-Id': FILE_ID,
        },
      },
    },
  },
  'DELETE /api/uploads/{uploadId}': {
    summary: 'tus termination: cancel an upload',
    description: 'Drops the staged bytes and gives back the quota reservation.',
    parameters: [tusResumable],
    responses: {
      204: { description: 'Terminated.', headers: { 'Tus-Resumable': TUS_RESUMABLE } },
    },
  },
  'POST /api/uploads/{uploadId}': {
    summary: 'tus: PATCH, HEAD or DELETE for clients that only speak POST',
    description:
      'With `X-HTTP-Method-Override: PATCH|HEAD|DELETE`, handled exactly as that method (its headers, body and answers).',
    parameters: [
      tusResumable,
      requestHeader('X-HTTP-Method-Override', 'The tus method meant.', true, {
        type: 'string',
        enum: ['PATCH', 'HEAD', 'DELETE'],
      }),
      { ...uploadOffset, required: false, description: 'With `PATCH`: as for PATCH.' },
    ],
    requestBody: chunkBody(false),
    responses: {
      200: {
        description: 'As `HEAD`.',
        headers: { 'Tus-Resumable': TUS_RESUMABLE, 'Upload-Offset': UPLOAD_OFFSET },
      },
      204: {
        description: 'As `PATCH` or `DELETE`.',
        headers: { 'Tus-Resumable': TUS_RESUMABLE, 'Upload-Offset': UPLOAD_OFFSET },
      },
    },
  },
};

const eventTypes = domainEventSchema.options.flatMap(({ shape: { type } }) =>
  'options' in type ? type.options : [...type.values],
);

/**
 * `GET /api/events` upgrades to a WebSocket; `@fastify/websocket` hides such routes from the
 * document, so it is written here. OpenAPI 3.0 cannot describe the messages that follow; their
 * JSON Schema (from the contract) is under `x-websocket-messages`.
 */
export const EVENTS_OPERATION = {
  tags: ['events'],
  summary: 'WebSocket: every change to my data, live',
  description: [
    'A WebSocket handshake (`Connection: Upgrade`, `Upgrade: websocket`). A browser signed in by',
    "cookie must send the app's own `Origin` (else 403); a script with a personal token may",
    'send none. The server then sends JSON text messages, never expects any:',
    '`{ "type": "event", "id", "event" }` for each change (`event.type` is one of',
    `${eventTypes.map((type) => `\`${type}\``).join(', ')}),`,
    '`{ "type": "reset" }` when the replay asked for with `?since=` is incomplete (reload',
    'what is shown), and `{ "type": "ready" }` once caught up. Pings every 30 s; a socket',
    'that misses one pong is closed. Close code 4401: the session ended or the token was',
    'revoked; do not reconnect with it.',
  ].join(' '),
  parameters: [
    {
      name: 'since',
      in: 'query',
      required: false,
      description:
        'The id of the last event seen (e.g. `1732250000000-0`): missed ones are replayed first.',
      schema: { type: 'string' },
    },
    requestHeader('Upgrade', 'The WebSocket handshake.', true, {
      type: 'string',
      enum: ['websocket'],
    }),
  ],
  responses: {
    101: {
      description: 'Switching to the WebSocket protocol.',
      headers: {
        Upgrade: header('`websocket`.'),
        'Sec-WebSocket-Accept': header('The handshake answer (RFC 6455).'),
      },
    },
    404: { description: 'A plain GET without the WebSocket handshake.' },
  },
  'x-websocket-messages': z.toJSONSchema(eventStreamMessageSchema, {
    target: 'openapi-3.0',
    io: 'output',
  }),
};

/**
 * `GET /api/s/{token}/events`, a viewer link's live subtree: an upgrade too, hidden from the
 * generated document like `/api/events`, so written here (see `links.events-routes.ts`).
 */
export const LINK_EVENTS_OPERATION = {
  tags: ['share links'],
  summary: "WebSocket: a viewer link's subtree, live",
  description: [
    "A WebSocket handshake (`Connection: Upgrade`, `Upgrade: websocket`) at the link's own",
    'path, so the cookie a password link sets after its password is sent with it. A browser',
    "must send the app's own `Origin` (else 403); a drop box (`uploader`) link is refused with",
    '403, as it may not see what is inside. No account is needed. The server then sends JSON',
    'text messages, never expects any: `{ "type": "event", "event" }` for each file or folder',
    'of the subtree added, changed or removed (`event.type` is one of',
    `${linkEventSchema.shape.type.options.map((type) => `\`${type}\``).join(', ')};`,
    'the link\'s own item has `parentId: null`), and `{ "type": "ready" }` once live. Pings',
    'every 30 s; a socket that misses one pong is closed. Close code 4410: the link was',
    'revoked, expired or used up; do not reconnect.',
  ].join(' '),
  parameters: [
    {
      name: 'token',
      in: 'path',
      required: true,
      description: "The link's token, as in its `/s/{token}` address.",
      schema: { type: 'string', maxLength: 128 },
    },
    requestHeader('Upgrade', 'The WebSocket handshake.', true, {
      type: 'string',
      enum: ['websocket'],
    }),
  ],
  responses: {
    101: {
      description: 'Switching to the WebSocket protocol.',
      headers: {
        Upgrade: header('`websocket`.'),
        'Sec-WebSocket-Accept': header('The handshake answer (RFC 6455).'),
      },
    },
  },
  'x-websocket-messages': z.toJSONSchema(linkStreamMessageSchema, {
    target: 'openapi-3.0',
    io: 'output',
  }),
};
