import { fileURLToPath } from 'node:url';

/** Absolute paths resolved from this file, so the app synthesises from any working directory. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const infraRoot = fileURLToPath(new URL('../', import.meta.url));
export const keyRotationEntry = fileURLToPath(
  new URL('../lambda/key-rotation/index.ts', import.meta.url),
);
export const createAppUserSqlPath = fileURLToPath(
  new URL('../sql/create-app-user.sql', import.meta.url),
);
export const releaseTasksEntry = fileURLToPath(
  new URL('../lambda/release-tasks/index.ts', import.meta.url),
);
export const originRotationEntry = fileURLToPath(
  new URL('../lambda/origin-secret-rotation/index.ts', import.meta.url),
);
export const redisRotationEntry = fileURLToPath(
  new URL('../lambda/redis-auth-rotation/index.ts', import.meta.url),
);
