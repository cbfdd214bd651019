import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Below this a compressed body saves less than its headers cost. */
const THRESHOLD_BYTES = 1024;

/** `br` or `gzip` if the client accepts it (a `q=0` refuses), brotli first. */
export const pickEncoding = (acceptEncoding: string | undefined): 'br' | 'gzip' | undefined => {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, ...params]) => !params.some((param) => /^\s*q=0(\.0*)?\s*$/.test(param)))
      .map(([name]) => name?.trim().toLowerCase()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
};

/**
 * Compresses JSON answers (folder pages, search, trash) for clients that accept it. Only
 * JSON: file downloads keep their bytes, lengths and byte ranges exactly as stored, and the
 * web app's assets are compressed once at build time.
 */
export const registerJsonCompression = (app: FastifyInstance) => {
  // A callback hook: the commonest answers (not JSON, or a client taking no encoding) go on at
  // once, with no promise made for them.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
    // Below the threshold the answer is the same bytes whatever the client accepts, so it needs
    // no `Vary` either; most API answers (an account, a row, an error) stop here.
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (size < THRESHOLD_BYTES) return done(null, payload);
    const type = reply.getHeader('content-type');
    if (typeof type !== 'string' || !type.startsWith('application/json')) {
      return done(null, payload);
    }
    if (reply.getHeader('content-encoding') !== undefined) return done(null, payload);
    const vary = String(reply.getHeader('vary') ?? '');
    if (!/accept-encoding/i.test(vary)) {
      reply.header('vary', vary ? `${vary}, accept-encoding` : 'accept-encoding');
    }
    // Asked first: a client that takes no encoding (most API clients) costs no copy of the body.
    const encoding = pickEncoding(request.headers['accept-encoding']);
    if (!encoding) return done(null, payload);
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const compressed =
      encoding === 'br'
        ? brotli(body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 5,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          })
        : gzipped(body, { level: 6 });
    compressed.then(
      (bytes) => {
        reply.header('content-encoding', encoding);
        reply.removeHeader('content-length');
        done(null, bytes);
      },
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  });
};
