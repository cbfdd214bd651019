import type { PostgresCursor, PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';

export type PostgresTimeouts = {
  /**
   * Longest a statement may run on the server (`statement_timeout`); 0 for none. The client
   * gives up a little later, which also catches a connection that silently went dead.
   */
  statementTimeoutMs: number;
};

/** What the client waits beyond the server's own limit before it calls the connection dead. */
const CLIENT_GRACE_MS = 2_000;

/**
 * A node-postgres pool that survives its connections dying under it (a failover,
 * `pg_terminate_backend`, a proxy's idle cut, a network black hole):
 * - every client has an `'error'` listener for its whole life, so a connection that breaks
 *   while checked out is an error for the query using it, never an unhandled event that
 *   takes the process down;
 * - a client whose query failed for a reason other than a clean SQL error is destroyed on
 *   release instead of going back to the pool, so a wedged connection is never handed out again;
 * - TCP keepalive and a client-side query timeout notice a peer that vanished without a word.
 */
export const createPostgresPool = ({
  url,
  poolSize,
  types,
  statementTimeoutMs,
}: {
  url: string;
  poolSize: number;
  types: pg.CustomTypesConfig;
} & PostgresTimeouts): { pool: pg.Pool; kyselyPool: PostgresPool } => {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'myfile',
    types,
    ...(statementTimeoutMs > 0
      ? {
          statement_timeout: statementTimeoutMs,
          query_timeout: statementTimeoutMs + CLIENT_GRACE_MS,
          // Locks of a client that vanished mid-transaction are not held for long.
          idle_in_transaction_session_timeout: statementTimeoutMs * 2,
        }
      : {}),
  });
  // An idle client that loses its server: the pool drops it; the next query reports trouble.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));

  const kyselyPool: PostgresPool = {
    connect: async () => {
      const client = await pool.connect();
      let broken: Error | undefined;
      const query = (sqlOrCursor: string | PostgresCursor<unknown>, parameters?: unknown[]) => {
        if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as never);
        return client.query(sqlOrCursor, parameters).catch((error: unknown) => {
          if (breaksConnection(error))
            broken = error instanceof Error ? error : new Error('broken');
          throw error;
        });
      };
      return {
        // The same two overloads node-postgres's client has (Kysely passes its pool the same way).
        query: query as unknown as PostgresPoolClient['query'],
        release: () => client.release(broken),
      };
    },
    end: () => pool.end(),
  };
  return { pool, kyselyPool };
};

/**
 * A SQL error the server sent (constraint, syntax, statement timeout…) leaves the connection
 * usable; anything else (read timeout, reset, terminated, admin shutdown) may not.
 */
const breaksConnection = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return code.startsWith('08') || code.startsWith('57P');
};
