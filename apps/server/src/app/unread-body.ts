import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** How much of a body nobody read is taken in and thrown away so its sender can read the answer. */
export const UNREAD_BODY_DRAIN_BYTES = 16 * 1024 * 1024;
/** A sender that trickles is not waited for longer than this. */
const UNREAD_BODY_DRAIN_MS = 10_000;

/**
 * An answer given before the request's body was read (503 while the database is down, 507 on a
 * full disk, 401, an idempotency 409/422…): if the connection were closed on a sender still
 * writing, its next write would meet a reset and it would report EPIPE or ECONNRESET, never the
 * answer. So the rest of the body (up to a bound) is read and dropped first, and the connection
 * is closed after the answer rather than kept for a next request that would sit behind the
 * leftover bytes.
 */
export const registerUnreadBodyDrain = (
  app: FastifyInstance,
  { maxBytes = UNREAD_BODY_DRAIN_BYTES, maxMs = UNREAD_BODY_DRAIN_MS } = {},
) => {
  // A callback hook: nearly every answer comes after its body was read, and goes on at once.
  app.addHook('onSend', (request, reply, payload, done) => {
    const raw = request.raw;
    // `complete` is false only on a real connection whose message has not fully arrived;
    // `app.inject`'s stand-in request has no such field, and its body is in memory anyway.
    if (!('complete' in raw) || raw.complete || raw.readableEnded || !hasBody(raw)) {
      done(null, payload);
      return;
    }
    reply.header('connection', 'close');
    void drain(raw, maxBytes, maxMs).then(() => done(null, payload));
  });
};

const hasBody = (raw: IncomingMessage) =>
  raw.headers['transfer-encoding'] !== undefined || Number(raw.headers['content-length'] ?? 0) > 0;

const drain = (raw: IncomingMessage, maxBytes: number, maxMs: number) =>
  new Promise<void>((resolve) => {
    let read = 0;
    const done = () => {
      clearTimeout(timer);
      raw.off('data', onData).off('end', done).off('close', done).off('error', done);
      raw.pause();
      resolve();
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > maxBytes) done();
    };
    const timer = setTimeout(done, maxMs);
    // A parser that gave up part-way (multipart after a failed part) lets go of the stream.
    raw.unpipe();
    raw.on('data', onData).once('end', done).once('close', done).once('error', done);
    raw.resume();
  });
