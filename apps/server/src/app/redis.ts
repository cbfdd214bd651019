import { Redis } from 'ioredis';

export type RedisSettings = {
  REDIS_URL?: string | undefined;
  REDIS_AUTH_TOKEN?: string | undefined;
};

/** One shared client per process, or null when REDIS_URL is unset (in-process mode). */
export const openRedis = (config: RedisSettings): Redis | null => {
  if (!config.REDIS_URL) return null;
  const client = new Redis(config.REDIS_URL, {
    ...(config.REDIS_AUTH_TOKEN ? { password: config.REDIS_AUTH_TOKEN } : {}),
    // Fail a request quickly (503) rather than queue it forever while Redis is away.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
  });
  // Errors surface on the commands that need Redis; an unhandled 'error' event would crash.
  client.on('error', () => {});
  return client;
};
