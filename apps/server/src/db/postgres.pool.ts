import type { PostgresCursor, PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { isPlannable, isSchemaChange } from './prepared-statements.js';

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
 *
 * Each connection also keeps a named plan for each SQL text it runs (`preparedStatements`):
 * bounded, since a query with a list of values has one text per list length, by replacing a
 * connection once it holds `statementsPerConnection` of them; and dropped with the connection
 * after a schema change, when a kept plan may no longer match its table.
 */
export const createPostgresPool = ({
  url,
  poolSize,
  types,
  statementTimeoutMs,
  preparedStatements = true,
  statementsPerConnection = 128,
}: {
  url: string;
  poolSize: number;
  types: pg.CustomTypesConfig;
  /** Keep a named plan per SQL text on each connection (see prepared-statements.ts). */
  preparedStatements?: boolean;
  /**
   * Plans one connection may hold before it is replaced by a fresh one. Each lives in its
   * backend's memory (a lookup by id 40 KiB, a folder page 330 KiB, measured), so this bounds
   * what a pool pins on the server; the texts that matter number far fewer.
   */
  statementsPerConnection?: number;
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
      const statements = preparedStatements ? statementsOf(client, statementsPerConnection) : null;
      let broken: Error | undefined;
      let inTransaction = false;
      const run = async (sql: string, parameters: unknown[] | undefined) => {
        const name = statements?.nameFor(sql);
        if (!name) return client.query(sql, parameters);
        try {
          return await client.query({ name, text: sql, values: parameters });
        } catch (error) {
          if (!changedResultType(error)) throw error;
          // Another process's migration changed a table under a kept `select *` plan. This
          // connection's plans all go with it; outside a transaction the statement runs again,
          // planned anew, and the caller never sees the error.
          statements?.retire();
          if (inTransaction) throw error;
          return client.query(sql, parameters);
        }
      };
      const query = (sqlOrCursor: string | PostgresCursor<unknown>, parameters?: unknown[]) => {
        if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as never);
        if (TRANSACTION_START.test(sqlOrCursor)) inTransaction = true;
        else if (TRANSACTION_END.test(sqlOrCursor)) inTransaction = false;
        else if (isSchemaChange(sqlOrCursor)) statements?.retire();
        return run(sqlOrCursor, parameters).catch((error: unknown) => {
          if (breaksConnection(error))
            broken = error instanceof Error ? error : new Error('broken');
          throw error;
        });
      };
      return {
        // The same two overloads node-postgres's client has (Kysely passes its pool the same way).
        query: query as unknown as PostgresPoolClient['query'],
        // A retired connection is closed rather than pooled: its successor starts with no plans.
        release: () => client.release(broken ?? (statements?.retired ? RETIRED : undefined)),
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

const TRANSACTION_START = /^\s*(begin|start transaction)\b/i;
const TRANSACTION_END = /^\s*(commit|rollback)\s*$/i;

/** Passed to `release`, it makes the pool close the connection instead of keeping it. */
const RETIRED = new Error('The connection is retired with its prepared statements.');

/** 0A000 "cached plan must not change result type": a table changed under a kept plan. */
const changedResultType = (error: unknown) =>
  (error as { code?: unknown }).code === '0A000' &&
  /cached plan must not change result type/.test(String((error as { message?: unknown }).message));

type ConnectionStatements = {
  /** The statement name for `sql`, or undefined to run it unprepared. */
  nameFor(sql: string): string | undefined;
  retire(): void;
  readonly retired: boolean;
};

/**
 * The plans one connection holds, for as long as it lives: a WeakMap, since node-postgres hands
 * the same client back from its pool and forgets it when closed.
 */
const statementsByClient = new WeakMap<pg.PoolClient, ConnectionStatements>();
let statementCounter = 0;

const statementsOf = (client: pg.PoolClient, capacity: number): ConnectionStatements => {
  const kept = statementsByClient.get(client);
  if (kept) return kept;
  const names = new Map<string, string>();
  let retired = false;
  const statements: ConnectionStatements = {
    nameFor: (sql) => {
      if (retired || !isPlannable(sql)) return undefined;
      let name = names.get(sql);
      if (name) return name;
      // Full: this connection runs the new text unprepared and is replaced on release.
      if (names.size >= capacity) {
        retired = true;
        return undefined;
      }
      name = `myfile_${(statementCounter += 1)}`;
      names.set(sql, name);
      return name;
    },
    retire: () => {
      retired = true;
    },
    get retired() {
      return retired;
    },
  };
  statementsByClient.set(client, statements);
  return statements;
};
