import {
  LogController,
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import pino from 'pino';

const INFO = pino.levels.values.info ?? 30;
/** `silent` is no level pino numbers: nothing is at or above it. */
const logsInfo = (log: FastifyBaseLogger) =>
  (pino.levels.values[log.level] ?? Number.POSITIVE_INFINITY) <= INFO;

/**
 * One line per request, written once it has been answered, holding both the request and the
 * answer. Fastify's default writes two at `info`, one as the request arrives and one as it is
 * answered; a line costs a small request (`GET /api/auth/me`) about a fifth of its CPU, so the
 * default doubled what logging costs. The arrival line is still written at `debug`, to follow a
 * long upload that has not been answered yet.
 *
 * The line is made of fields chosen here (method, URL, host, client address, status, time), so it
 * skips the redaction every other line goes through: the wildcard paths (`*.password`) copy and
 * walk each object logged, which cost this line more than writing it.
 */
class OneLinePerRequest extends LogController {
  readonly #lines: FastifyBaseLogger;

  constructor(logger: FastifyBaseLogger) {
    super();
    this.#lines = logger.child({}, { redact: { paths: [] } });
  }

  override incomingRequest(request: FastifyRequest) {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    if (error) {
      reply.log.error(
        { res: reply, err: error, responseTime: reply.elapsedTime },
        'request errored',
      );
      return;
    }
    // The request's own logger follows the level the app logs at now.
    if (!logsInfo(reply.log)) return;
    this.#lines.info(
      {
        reqId: request.id,
        req: {
          method: request.method,
          url: request.url,
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket.remotePort,
        },
        res: { statusCode: reply.statusCode },
        responseTime: reply.elapsedTime,
      },
      'request completed',
    );
  }
}

export const requestLog = (logger: FastifyBaseLogger) => new OneLinePerRequest(logger);
