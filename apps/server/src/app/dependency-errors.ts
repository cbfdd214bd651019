const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * PostgreSQL SQLSTATE classes meaning "the server is not there for you right now":
 * 08 connection exceptions, 53 insufficient resources, 57P01-03 admin shutdown / cannot connect,
 * 57014 a statement cancelled by `statement_timeout` (the database is too slow to answer).
 */
const isPostgresUnavailable = (code: string) =>
  code.startsWith('08') ||
  code.startsWith('53') ||
  ['57P01', '57P02', '57P03', '57014'].includes(code);

/**
 * True when a database, store or cache could not be reached (so the answer is 503, not 500).
 * The messages are node-postgres's (pool and read timeouts) and ioredis's (command timeout,
 * closed connection, retries exhausted), which carry no code.
 */
export const isDependencyDownError = (error: unknown): boolean => {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || isPostgresUnavailable(code))) {
      return true;
    }
    if (
      typeof message === 'string' &&
      /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Command timed out|Connection is closed|max retries per request/i.test(
        message,
      )
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
};

/**
 * PostgreSQL SQLSTATE class 22, "data exception" (a NUL in text, a date out of range, a bad
 * number): the value came from the request, so it is the client's 400, never our 500. The
 * schemas refuse these first; this is the net under them.
 */
export const isDataException = (error: unknown): boolean => {
  const { code } = (error ?? {}) as { code?: unknown };
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
};
