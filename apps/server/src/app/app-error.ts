import type { ErrorCode } from '@myfile/contract';

/**
 * The one error type a use case throws on purpose. The error handler turns it into
 * `{ error: { code, message } }` with `statusCode`; anything else becomes a 500 `internal`.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly field: string | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(args: {
    code: ErrorCode;
    statusCode: number;
    message: string;
    field?: string;
    headers?: Record<string, string>;
    cause?: unknown;
  }) {
    super(args.message, { cause: args.cause });
    this.name = 'AppError';
    this.code = args.code;
    this.statusCode = args.statusCode;
    this.field = args.field;
    this.headers = args.headers;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

export const notFound = (message = 'Not found.') =>
  new AppError({ code: 'not_found', statusCode: 404, message });

export const invalidRequest = (message: string, field?: string) =>
  new AppError({ code: 'invalid_request', statusCode: 400, message, ...(field ? { field } : {}) });

export const unavailable = (message: string, cause?: unknown) =>
  new AppError({ code: 'unavailable', statusCode: 503, message, cause });
