import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createTestApp, type TestApp } from './test-app.js';
import { createTestDatabase } from './test-database.js';

export type TwoTestApps = { first: TestApp; second: TestApp; close(): Promise<void> };

/**
 * Two API processes behind one load balancer, as far as one test process can tell: one
 * database, one Redis under one key prefix, one key ring; each app has its own blob store.
 */
export const createTwoTestApps = async ({
  env = {},
}: { env?: Record<string, string> } = {}): Promise<TwoTestApps> => {
  const database = await createTestDatabase();
  const shared = { ...database, close: async () => {} };
  const prefix = `myfile-test:two-${randomBytes(4).toString('hex')}:`;
  const sharedEnv = { REDIS_KEY_PREFIX: prefix, ...env };
  const first = await createTestApp({ database: shared, env: sharedEnv });
  const second = await createTestApp({ database: shared, env: sharedEnv });
  await fs.cp(path.join(first.dataDir, 'keys'), path.join(second.dataDir, 'keys'), {
    recursive: true,
  });
  await second.context.keys.reload();
  return {
    first,
    second,
    close: async () => {
      const redis = first.context.redis;
      const keys = (await redis?.keys(`${prefix}*`)) ?? [];
      if (keys.length) await redis?.del(...keys);
      await first.close();
      await second.close();
      await database.close();
    },
  };
};
