import type { Redis } from 'ioredis';
import { unavailable } from './app-error.js';

export type RedisSettings = {
  REDIS_URL?: string | undefined;
  REDIS_AUTH_TOKEN?: string | undefined;
};

/**
 * One shared client per process, or null when REDIS_URL is unset (in-process mode); the client
 * library is loaded only in the first case.
 */
export const openRedis = async (config: RedisSettings): Promise<Redis | null> => {
  if (!config.REDIS_URL) return null;
  const { Redis } = await import('ioredis');
  const client = new Redis(config.REDIS_URL, {
    ...(config.REDIS_AUTH_TOKEN ? { password: config.REDIS_AUTH_TOKEN } : {}),
    // Fail a request quickly (503) rather than queue it forever while Redis is away.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    // A connection whose packets vanish (no reset) would otherwise hold each command forever.
    commandTimeout: 5_000,
    keepAlive: 10_000,
    // Reconnect at most half a second apart, so service resumes soon after Redis is back.
    retryStrategy: (times) => Math.min(times * 50, 500),
  });
  // Errors surface on the commands that need Redis; an unhandled 'error' event would crash.
  client.on('error', () => {});
  return client;
};

/** Runs a Redis command, turning a Redis failure into a 503 rather than a raw client error. */
export const guardRedis = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    throw unavailable('Redis is unavailable.', error);
  }
};
