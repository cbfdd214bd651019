import { Readable } from 'node:stream';
import type { ErrorCode } from '@myfile/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** tus methods a POST may stand in for, for clients and proxies that only speak GET and POST. */
const OVERRIDABLE = new Set(['PATCH', 'DELETE', 'HEAD']);

/** The method tus is to handle: `X-HTTP-Method-Override` on a POST, as the protocol allows. */
export const tusMethodOf = (request: FastifyRequest): string => {
  const override = request.headers['x-http-method-override'];
  const wanted = typeof override === 'string' ? override.trim().toUpperCase() : '';
  return request.method === 'POST' && OVERRIDABLE.has(wanted) ? wanted : request.method;
};

/** The request as the tus server's web handler reads it; the body stays a stream. */
export const toTusRequest = (
  request: FastifyRequest,
  method: string,
  /** The body to hand on instead of the request's own (a chunk verified against its checksum). */
  body: Readable = request.raw,
): Request => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'x-http-method-override') continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const hasBody = method === 'POST' || method === 'PATCH';
  return new Request(new URL(request.url, 'http://tus.invalid'), {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(body) as ReadableStream, duplex: 'half' } : {}),
  });
};

const CODES: Partial<Record<number, ErrorCode>> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'not_found',
  412: 'precondition_failed',
  413: 'too_large',
  415: 'unsupported_media_type',
  423: 'locked',
  429: 'rate_limited',
  503: 'unavailable',
};

/** A tus error answer in the API's error shape: our hooks' JSON kept, the server's text wrapped. */
const toErrorBody = (status: number, text: string): string => {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown } };
    if (typeof parsed.error?.code === 'string') return text;
  } catch {
    // tus's own errors are plain sentences.
  }
  const code: ErrorCode = CODES[status] ?? (status >= 500 ? 'internal' : 'invalid_request');
  const message = status >= 500 ? 'Something went wrong.' : text.trim() || 'Upload refused.';
  return JSON.stringify({ error: { code, message } });
};

/** The OPTIONS answer with what our route adds to tus: the checksum extension. */
export const withChecksumAdvertised = (response: Response, algorithms: readonly string[]) => {
  const headers = new Headers(response.headers);
  const extensions = headers.get('tus-extension');
  headers.set('tus-extension', extensions ? `${extensions},checksum` : 'checksum');
  headers.set('tus-checksum-algorithm', algorithms.join(','));
  return new Response(response.body, { status: response.status, headers });
};

/** Sends the tus answer through Fastify, so the usual security headers apply to it too. */
export const sendTusResponse = async (reply: FastifyReply, response: Response) => {
  // CORS is the app's own (one origin, with credentials), not tus's wildcard.
  const headers = Object.fromEntries(
    [...response.headers].filter(
      ([name]) =>
        name !== 'content-length' && name !== 'content-type' && !name.startsWith('access-control-'),
    ),
  );
  reply.status(response.status).headers(headers);
  if (response.status >= 400) {
    return reply.type('application/json').send(toErrorBody(response.status, await response.text()));
  }
  // tus answers to what we route carry their meaning in headers only.
  await response.body?.cancel();
  return reply.send();
};
