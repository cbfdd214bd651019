import { sql } from 'kysely';

/**
 * A timestamp column as the API writes it (`2026-01-02T03:04:05.678Z`), formatted by the
 * database: the row reaches the answer as a string, never parsed into a Date and printed again.
 */
export const isoTimestamp = (column: string) =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
