import pino, { type Logger } from 'pino';

/** Secrets never reach the log, whatever a handler logs by mistake. */
const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
];

export const createLogger = ({ level }: { level: string }): Logger =>
  pino({ level, redact: { paths: REDACT, censor: '[redacted]' } });
