import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

/** Secrets never reach the log, whatever a handler logs by mistake. */
const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
];

/**
 * A person running `myfile serve` in a terminal reads one coloured line per entry; anything
 * else (a container, a pipe, a log collector) gets pino's JSON lines. pino-pretty is loaded only
 * in the first case, so a service never pays for it.
 */
const prettyStream = (destination: DestinationStream | undefined) => {
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pretty({
    colorize: destination === undefined,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    ...(destination ? { destination } : {}),
  });
};

/** Node types `isTTY` as always present; on a pipe or a file it is undefined. */
const isTerminal = (stream: { isTTY?: boolean }) => stream.isTTY === true;

export const createLogger = ({
  level,
  interactive = isTerminal(process.stdout),
  destination,
}: {
  level: string;
  /** Human-readable lines rather than JSON; by default when stdout is a terminal. */
  interactive?: boolean;
  /** Where to write instead of stdout (tests). */
  destination?: DestinationStream;
}): Logger => {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' } };
  if (interactive) return pino(options, prettyStream(destination));
  return destination ? pino(options, destination) : pino(options);
};
