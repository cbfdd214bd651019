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
