import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/**
 * Hears of every change this process commits to the database: after a statement that changed
 * rows outside a transaction, after the commit of a transaction that did. What another process
 * writes is not heard of.
 */
export type CommittedWrites = {
  /** `listener` runs inside the statement's or the commit's call: it must be quick and not throw. */
  subscribe(listener: () => void): () => void;
};

// A statement whose driver counts no rows (a data-changing `with`, DDL) counts as a change when
// its text could be one; a false alarm only costs a listener some work.
const MAY_CHANGE = /\b(insert|update|delete|merge|truncate|create|drop|alter)\b/i;

const changedRows = (query: CompiledQuery, result: QueryResult<unknown>) =>
  result.numAffectedRows === undefined ? MAY_CHANGE.test(query.sql) : result.numAffectedRows > 0n;

class WatchedConnection implements DatabaseConnection {
  inTransaction = false;
  changed = false;

  constructor(
    readonly inner: DatabaseConnection,
    readonly committed: () => void,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.inner.executeQuery<R>(query);
    if (changedRows(query, result)) {
      if (this.inTransaction) this.changed = true;
      else this.committed();
    }
    return result;
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

const innerOf = (connection: DatabaseConnection) =>
  connection instanceof WatchedConnection ? connection.inner : connection;

type Compile = QueryCompiler['compileQuery'];

class WatchedDriver implements Driver {
  constructor(
    readonly inner: Driver,
    readonly committed: () => void,
  ) {}

  init() {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new WatchedConnection(await this.inner.acquireConnection(), this.committed);
  }

  releaseConnection(connection: DatabaseConnection) {
    return this.inner.releaseConnection(innerOf(connection));
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    await this.inner.beginTransaction(innerOf(connection), settings);
    if (connection instanceof WatchedConnection) {
      connection.inTransaction = true;
      connection.changed = false;
    }
  }

  async commitTransaction(connection: DatabaseConnection) {
    try {
      await this.inner.commitTransaction(innerOf(connection));
    } finally {
      // A commit that failed may still have committed (the answer was lost): heard either way.
      if (connection instanceof WatchedConnection) {
        connection.inTransaction = false;
        if (connection.changed) this.committed();
      }
    }
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    if (connection instanceof WatchedConnection) connection.inTransaction = false;
    await this.inner.rollbackTransaction(innerOf(connection));
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: Compile) {
    if (!this.inner.savepoint) throw new Error('This database has no savepoints.');
    await this.inner.savepoint(innerOf(connection), name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: Compile) {
    if (!this.inner.rollbackToSavepoint) throw new Error('This database has no savepoints.');
    await this.inner.rollbackToSavepoint(innerOf(connection), name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: Compile) {
    if (!this.inner.releaseSavepoint) throw new Error('This database has no savepoints.');
    await this.inner.releaseSavepoint(innerOf(connection), name, compile);
  }

  destroy() {
    return this.inner.destroy();
  }
}

/** `dialect` whose driver tells `writes`' listeners of each committed change. */
export const watchCommittedWrites = (
  dialect: Dialect,
): { dialect: Dialect; writes: CommittedWrites } => {
  const listeners = new Set<() => void>();
  const committed = () => {
    for (const listener of listeners) listener();
  };
  return {
    dialect: {
      createAdapter: () => dialect.createAdapter(),
      createDriver: () => new WatchedDriver(dialect.createDriver(), committed),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
    },
    writes: {
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
};
