import type { Logger } from 'pino';

/**
 * Signals a running process receives for diagnostics, not to stop: SIGUSR2 is the one
 * `--heapsnapshot-signal` and `--report-on-signal` default to, so an operator taking a heap
 * snapshot of a production process must not shut it down. close-with-grace listens for it
 * by default; `skip` takes it back.
 */
export const DIAGNOSTIC_SIGNALS = ['SIGUSR2'] as const;

/**
 * Without any listener SIGUSR2's default action terminates the process, so a process started
 * without a diagnostics flag keeps a listener that only logs; Node's own diagnostic handlers
 * (heap snapshot, report) are listeners too and run beside it.
 */
export const leaveSignalsToDiagnostics = (logger: Logger) => {
  for (const signal of DIAGNOSTIC_SIGNALS) {
    process.on(signal, () =>
      logger.info(
        { signal },
        `${signal} received: left to diagnostics (node --heapsnapshot-signal=${signal} or --report-on-signal), not a shutdown`,
      ),
    );
  }
};
