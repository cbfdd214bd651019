import type { ErrorCode } from '@myfile/contract';
import { AppError } from '../../app/app-error.js';

/**
 * An error a WebDAV client should act on. `condition` names an RFC 4918 precondition; the
 * body is then the `<D:error>` element clients parse, instead of our JSON error.
 */
export class DavError extends AppError {
  readonly condition: string | undefined;

  constructor(statusCode: number, code: ErrorCode, message: string, condition?: string) {
    super({ statusCode, code, message });
    this.name = 'DavError';
    this.condition = condition;
  }
}

export const davError = (
  statusCode: number,
  code: ErrorCode,
  message: string,
  condition?: string,
) => new DavError(statusCode, code, message, condition);

export const preconditionFailed = (message: string) =>
  davError(412, 'precondition_failed', message);

export const methodNotAllowed = (message: string) => davError(405, 'method_not_allowed', message);

export const conflict = (message: string) => davError(409, 'conflict', message);

export const forbiddenHere = (message: string, condition?: string) =>
  davError(403, 'forbidden', message, condition);
