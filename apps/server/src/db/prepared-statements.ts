/**
 * Which statements both database drivers keep a named plan for. Planning a folder page cost more
 * than running it (3.6 ms against 1.3 ms on PostgreSQL), so each SQL text Kysely builds is
 * parsed and planned once per connection, and PostgreSQL switches to a generic plan once that
 * costs no more, as for any client's prepared statements.
 */

/**
 * An ON CONFLICT whose index predicate holds a parameter: PostgreSQL proves the predicate
 * matches a partial unique index while planning, which a reused generic plan cannot do
 * ("no unique or exclusion constraint matching the ON CONFLICT specification").
 */
const hasParameterisedArbiter = (sql: string) =>
  /\bon conflict\s*\([^)]*\)\s*where\b(?:(?!\bdo\b)[^])*\$\d/i.test(sql);

/** Statements whose plan is worth keeping: the ones Kysely builds. */
export const isPlannable = (sql: string) =>
  /^\s*(select|insert|update|delete|with)\b/i.test(sql) && !hasParameterisedArbiter(sql);

/** Statements after which a kept plan may no longer match its tables. */
export const isSchemaChange = (sql: string) => /^\s*(create|alter|drop|truncate)\b/i.test(sql);
