import { Readable } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorCode } from '@myfile/contract';
import { isAppError } from './app-error.js';
import { trackAllowedMethods } from './method-not-allowed.js';
import { isBrowserNavigation, sendNavigationError } from './navigation-errors.js';
import { insufficientStorage, isDiskFullError } from '../disk-space/disk-space.errors.js';
import { isDataException, isDependencyDownError } from './dependency-errors.js';

type Answer = { statusCode: number; code: ErrorCode; message: string; field?: string };

const STATUS_CODES: Partial<Record<number, Answer>> = {
  404: { statusCode: 404, code: 'not_found', message: 'Not found.' },
  413: { statusCode: 413, code: 'too_large', message: 'The request body is too large.' },
  415: {
    statusCode: 415,
    code: 'unsupported_media_type',
    message: 'This content type is not supported here.',
  },
  429: { statusCode: 429, code: 'rate_limited', message: 'Too many requests; try again later.' },
};

/** Turns whatever was thrown into the one error shape; never leaks a stack or SQL. */
export const toErrorAnswer = (error: unknown): Answer => {
  if (isAppError(error)) {
    return {
      statusCode: error.statusCode,
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const where = error.validationContext ?? 'body';
    const path = first?.instancePath.replace(/^\//, '').replaceAll('/', '.') ?? '';
    const field =
      path || (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
    return {
      statusCode: 400,
      code: 'invalid_request',
      message: `Invalid ${where}${field ? ` field "${field}"` : ''}: ${first?.message ?? 'invalid value'}.`,
      ...(field ? { field } : {}),
    };
  }
  if (isDataException(error)) {
    return {
      statusCode: 400,
      code: 'invalid_request',
      message: 'The request holds a value that cannot be stored or compared here.',
    };
  }
  // Before the outage check: PostgreSQL's disk_full is in the class it reads as "unavailable".
  if (isDiskFullError(error)) return toErrorAnswer(insufficientStorage());
  if (isDependencyDownError(error)) {
    return {
      statusCode: 503,
      code: 'unavailable',
      message: 'A service this request needs is unavailable; try again shortly.',
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode;
  if (status && STATUS_CODES[status]) return STATUS_CODES[status];
  if (status && status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, empty body, bad content length) are safe to word.
    return {
      statusCode: 400,
      code: 'invalid_request',
      message:
        fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
        /JSON/.test(fastifyError.message ?? '')
          ? 'The request body is not valid JSON.'
          : 'The request is malformed.',
    };
  }
  return { statusCode: 500, code: 'internal', message: 'Something went wrong on our side.' };
};

export const sendError = (reply: FastifyReply, answer: Answer) => {
  const body: ErrorBody = {
    error: {
      code: answer.code,
      message: answer.message,
      ...(answer.field ? { field: answer.field } : {}),
    },
  };
  return reply.status(answer.statusCode).type('application/json; charset=utf-8').send(body);
};

export const registerErrorHandlers = (
  app: FastifyInstance,
  { spaFallback }: { spaFallback?: (request: FastifyRequest, reply: FastifyReply) => unknown } = {},
) => {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const answer = toErrorAnswer(error);
    if (answer.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    if (isAppError(error) && error.headers) reply.headers(error.headers);
    if (isBrowserNavigation(request)) return sendNavigationError(request, reply, answer);
    return sendError(reply, answer);
  });
  const allowedMethods = trackAllowedMethods(app);
  app.setNotFoundHandler((request, reply) => {
    const fallback = spaFallback?.(request, reply);
    if (fallback !== undefined) return fallback;
    const path = request.url.split('?')[0] ?? '';
    const allowed = allowedMethods(request);
    if (allowed.length > 0) {
      return sendError(reply.header('allow', allowed.join(', ')), {
        statusCode: 405,
        code: 'method_not_allowed',
        message: `${path} does not answer ${request.method}; it answers ${allowed.join(', ')}.`,
      });
    }
    return sendError(reply, {
      statusCode: 404,
      code: 'not_found',
      message: `No route for ${request.method} ${path}.`,
    });
  });
  // RFC 9110 §15.4.5: a 304 never claims a length it does not have. Fastify's HEAD routes write
  // `Content-Length: 0` for an empty payload, but leave a stream's length alone; Node sends no
  // body after a 304 whatever the payload.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode !== 304) return done(null, payload);
    reply.removeHeader('content-length');
    done(null, request.method === 'HEAD' ? Readable.from([]) : payload);
  });
};
