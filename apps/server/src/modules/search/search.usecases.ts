import { z } from 'zod';
import { invalidRequest } from '../../app/app-error.js';
import { getPathsOf, searchNodesByNamePrefix } from '../folders/folders.repository.js';
import { toNameKey } from '../nodes/nodes.models.js';
import { storableText } from '../nodes/nodes.schemas.js';
import { ensureUserSpace, type FilesDeps } from '../nodes/nodes.usecases.js';

const cursorSchema = z
  .object({ k: storableText().pipe(z.string().max(2048)), i: z.uuid() })
  .strict();

const decodeCursor = (raw: string) => {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw invalidRequest('The cursor is malformed.', 'cursor');
  }
};

/** Names starting with `q` (case- and normalisation-insensitive), each with its folder path. */
export const searchByName = async ({
  ownerId,
  q,
  limit,
  cursor,
  ...deps
}: Pick<FilesDeps, 'db' | 'settings'> & {
  ownerId: string;
  q: string;
  limit: number;
  cursor?: string | undefined;
}) => {
  await ensureUserSpace({ ...deps, ownerId });
  const after = cursor ? decodeCursor(cursor) : null;
  const rows = await searchNodesByNamePrefix(deps.db, {
    ownerId,
    prefixKey: toNameKey(q.trim()),
    after: after ? { nameKey: after.k, id: after.i } : null,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const paths = await getPathsOf(deps.db, { ids: page.map((row) => row.id) });
  const last = page.at(-1);
  return {
    hits: page.map((row) => ({ node: row, path: paths.get(row.id) ?? [] })),
    nextCursor:
      rows.length > limit && last
        ? Buffer.from(JSON.stringify({ k: last.name_key, i: last.id })).toString('base64url')
        : null,
  };
};
