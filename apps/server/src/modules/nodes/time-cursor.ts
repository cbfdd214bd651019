import { z } from 'zod';
import { invalidRequest } from '../../app/app-error.js';
import { clientTimestamp } from './nodes.schemas.js';

/**
 * Where the next page of a newest-first listing starts: after this (time, id). The trash and
 * "Shared with me" page this way; one codec keeps their cursors equally strict.
 */
export type TimeCursor = { at: Date; id: string };

const cursorSchema = z.object({ t: clientTimestamp(), i: z.uuid() }).strict();

export const encodeTimeCursor = ({ at, id }: TimeCursor) =>
  Buffer.from(JSON.stringify({ t: at.toISOString(), i: id })).toString('base64url');

export const decodeTimeCursor = (raw: string): TimeCursor => {
  try {
    const { t, i } = cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return { at: new Date(t), id: i };
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
