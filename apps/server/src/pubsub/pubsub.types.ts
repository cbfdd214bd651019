/**
 * Fan-out of messages to every process: in-process when there is one, Redis when several API
 * processes must agree. Delivery is at-most-once; consumers that need more keep their own log.
 */
export type PubSub = {
  readonly driverName: 'memory' | 'redis';
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is live, so a publish after it is never missed. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};
