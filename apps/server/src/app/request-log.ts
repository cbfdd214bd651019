import {
  LogController,
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import pino from 'pino';

/** Whether `log` writes at `level` now; `silent` is no level pino numbers, so nothing is above it. */
const logsAt = (log: FastifyBaseLogger, level: 'info' | 'debug') =>
  (pino.levels.values[log.level] ?? Number.POSITIVE_INFINITY) <= (pino.levels.values[level] ?? 0);

/** A share link's token is the link itself: whoever reads it in a log could open the link. */
const LINK_TOKEN = /^(\/api)?\/s\/[^/?]+/;
/** The sign-in provider's one-time code and state come back in the callback's query. */
const SECRET_QUERY = /([?&](?:code|state|token)=)[^&]*/gi;
/** Whether a query holds one: tested first, as a replace costs every query (a listing's) more. */
const HAS_SECRET_QUERY = /[?&](?:code|state|token)=/i;

/** The URL as logged: what grants access replaced by `[redacted]`. */
export const loggedUrl = (url: string) => {
  let logged = url;
  if (logged.startsWith('/s/') || logged.startsWith('/api/s/')) {
    logged = logged.replace(
      LINK_TOKEN,
      (_match, api: string | undefined) => `${api ?? ''}/s/[redacted]`,
    );
  }
  if (logged.includes('?') && HAS_SECRET_QUERY.test(logged)) {
    logged = logged.replace(SECRET_QUERY, '$1[redacted]');
  }
  return logged;
};

/** Which request a line is about, for lines that go through the redaction. */
const whichRequest = (request: FastifyRequest) => ({
  method: request.method,
  url: loggedUrl(request.url),
});

/**
 * The request as its own lines show it. Spelled out rather than spread from `whichRequest`: the
 * spread took ~6 % of `GET /api/auth/me`'s CPU on Node 20 (profiled), whose V8 copies a spread
 * object through a slow path (0.8–3 µs a copy, where Node 26 takes 25–80 ns).
 */
const requestFields = (request: FastifyRequest) => ({
  method: request.method,
  url: loggedUrl(request.url),
  host: request.host,
  remoteAddress: request.ip,
  remotePort: request.socket.remotePort,
});

/**
 * One line per request, written once it has been answered, holding both the request and the
 * answer. Fastify's default writes two at `info`, one as the request arrives and one as it is
 * answered; a line costs a small request (`GET /api/auth/me`) about a fifth of its CPU, so the
 * default doubled what logging costs. The arrival line is still written at `debug`, to follow a
 * long upload that has not been answered yet.
 *
 * The line is made of fields chosen here (method, URL, host, client address, status, time), so it
 * skips the redaction every other line goes through: the wildcard paths (`*.password`) copy and
 * walk each object logged, which cost this line more than writing it. What in a URL grants
 * access (a share link's token, a sign-in callback's code) is redacted from it here instead.
 */
class OneLinePerRequest extends LogController {
  readonly #lines: FastifyBaseLogger;
  /** Answers that failed and have their error line: their `close` needs no other. */
  readonly #failed = new WeakSet<FastifyReply>();

  constructor(logger: FastifyBaseLogger) {
    super();
    // Writes whatever it is given: each line is gated by the request's logger, whose level is the
    // app's at the time.
    this.#lines = logger.child({}, { redact: { paths: [] }, level: 'trace' });
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply) {
    if (!logsAt(request.log, 'info')) return;
    // Fastify reports a request only once its answer is sent: one the client gave up on (a
    // download cut short, an upload abandoned) would leave no line at all.
    reply.raw.on('close', () => {
      // Ended: `requestCompleted` has its line; failed: its error line.
      if (reply.raw.writableEnded || this.#failed.has(reply)) return;
      this.#requestLine(request, reply, 'request aborted');
    });
    if (!logsAt(request.log, 'debug')) return;
    this.#lines.debug({ reqId: request.id, req: requestFields(request) }, 'incoming request');
  }

  /** Fastify's own, with the request it happened to, which no earlier line names any more. */
  override streamError(error: Error, request: FastifyRequest, reply: FastifyReply) {
    const fields = { ...whichRequest(request), res: reply };
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') {
      reply.log.info(fields, 'stream closed prematurely');
    } else {
      reply.log.warn(
        { ...fields, err: error },
        'response terminated with an error with headers already sent',
      );
    }
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    if (error) {
      this.#failed.add(reply);
      // Through the redaction, as the error is logged whole; the request's own line is this one.
      reply.log.error(
        {
          ...whichRequest(request),
          res: reply,
          err: error,
          responseTime: reply.elapsedTime,
        },
        'request errored',
      );
      return;
    }
    if (!logsAt(reply.log, 'info')) return;
    this.#requestLine(request, reply, 'request completed');
  }

  #requestLine(request: FastifyRequest, reply: FastifyReply, message: string) {
    this.#lines.info(
      {
        reqId: request.id,
        req: requestFields(request),
        res: { statusCode: reply.statusCode },
        responseTime: reply.elapsedTime,
      },
      message,
    );
  }
}

export const requestLog = (logger: FastifyBaseLogger) => new OneLinePerRequest(logger);
