import { AppError } from '../app/app-error.js';

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);
/** PostgreSQL's `disk_full` SQLSTATE ("could not extend file"). */
const POSTGRES_DISK_FULL = '53100';

/** True when the failure, or one of its causes, is a file system (or a database) out of space. */
export const isDiskFullError = (error: unknown): boolean => {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof AppError) return current.code === 'insufficient_storage';
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && (DISK_FULL_CODES.has(code) || code === POSTGRES_DISK_FULL)) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
};

export const insufficientStorage = (cause?: unknown) =>
  new AppError({
    code: 'insufficient_storage',
    statusCode: 507,
    message: 'The server has no room left to store this; delete or empty the trash, or try later.',
    cause,
  });
