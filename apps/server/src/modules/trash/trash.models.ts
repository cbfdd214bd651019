import { z } from 'zod';
import { invalidRequest } from '../../app/app-error.js';
import { clientTimestamp } from '../nodes/nodes.schemas.js';

/** Where the next page of the trash starts: after this (trashed at, id), newest first. */
export type TrashCursor = { trashedAt: Date; id: string };

const cursorSchema = z.object({ t: clientTimestamp(), i: z.uuid() }).strict();

export const encodeTrashCursor = ({ trashedAt, id }: TrashCursor) =>
  Buffer.from(JSON.stringify({ t: trashedAt.toISOString(), i: id })).toString('base64url');

export const decodeTrashCursor = (raw: string): TrashCursor => {
  try {
    const { t, i } = cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return { trashedAt: new Date(t), id: i };
  } catch {
    throw invalidRequest('The cursor is malformed.', 'cursor');
  }
};
