import { sql } from 'kysely';
import { z } from 'zod';
import { invalidRequest } from '../../app/app-error.js';
import { clientTimestamp } from './nodes.schemas.js';

/**
 * Where the next page of a newest-first listing starts: after this (time, id). The trash and
 * "Shared with me" page this way; one codec keeps their cursors equally strict. The time is
 * text as PostgreSQL keeps it, to the microsecond: a `Date` has milliseconds, and a cursor cut
 * to them skipped every row of the same millisecond after it (a multi-file upload's files share
 * one transaction time).
 */
export type TimeCursor = { at: string; id: string };

/** A timestamp column as exact ISO text (microseconds, UTC), for a row's cursor position. */
export const exactTime = (column: string) =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const cursorSchema = z.object({ t: clientTimestamp(), i: z.uuid() }).strict();

export const encodeTimeCursor = ({ at, id }: TimeCursor) =>
  Buffer.from(JSON.stringify({ t: at, i: id })).toString('base64url');

export const decodeTimeCursor = (raw: string): TimeCursor => {
  try {
    const { t, i } = cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return { at: t, id: i };
  } catch {
    throw invalidRequest('The cursor is malformed.', 'cursor');
  }
};

/**
 * One newest-first page: asks for one row more than the page to learn whether another follows,
 * and points the next cursor at the last row shown.
 */
export const pageByTime = async <Row>({
  cursor,
  limit,
  fetch,
  positionOf,
}: {
  cursor?: string | undefined;
  limit: number;
  fetch: (after: TimeCursor | undefined, limit: number) => Promise<Row[]>;
  positionOf: (row: Row) => TimeCursor | undefined;
}) => {
  const rows = await fetch(cursor ? decodeTimeCursor(cursor) : undefined, limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const position = rows.length > limit && last ? positionOf(last) : undefined;
  return { items, nextCursor: position ? encodeTimeCursor(position) : null };
};
