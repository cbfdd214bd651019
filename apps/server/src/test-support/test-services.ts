/**
 * `npm test` runs on embedded backends only (PGlite, disk, in-process), so a fresh machine with
 * just Node.js passes. `npm run test:services` (TEST_SERVICES=1) runs the same suites against
 * real PostgreSQL, Redis and an S3-compatible server, and fails if one is missing.
 */
export const usesRealServices = () => process.env.TEST_SERVICES === '1';

export const testPostgresUrl = () =>
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const testRedisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const withDatabaseName = (url: string, name: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
};

/** Runs one statement on the maintenance database (create/drop of test databases). */
export const adminQuery = async (statement: string) => {
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    connectionString: testPostgresUrl(),
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
};
