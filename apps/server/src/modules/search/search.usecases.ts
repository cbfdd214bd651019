import { z } from 'zod';
import { invalidRequest } from '../../app/app-error.js';
import { getPathsOf } from '../folders/folders.repository.js';
import { userActor } from '../access/access.models.js';
import { storableText } from '../nodes/nodes.schemas.js';
import { ensureUserSpace, getFolderOrThrow, type FilesDeps } from '../nodes/nodes.usecases.js';
import { listStarredAmong } from '../stars/stars.repository.js';
import { oneEditPatterns, rankOf, TOTAL_CAP, toSearchKey, toSnippet } from './search.models.js';
import {
  countSearchHits,
  searchNodes,
  type SearchFilters,
  type SearchPosition,
} from './search.repository.js';

const cursorSchema = z
  .object({
    r: z.number().int().min(0).max(9),
    s: storableText().pipe(z.string().max(8192)),
    i: z.uuid(),
  })
  .strict();

const decodeCursor = (raw: string): SearchPosition => {
  try {
    const { r, s, i } = cursorSchema.parse(
      JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')),
    );
    return { rank: r, sortKey: s, id: i };
  } catch {
    throw invalidRequest('The cursor is malformed.', 'cursor');
  }
};

const encodeCursor = ({ rank, sortKey, id }: SearchPosition) =>
  Buffer.from(JSON.stringify({ r: rank, s: sortKey, i: id })).toString('base64url');

export type SearchDeps = Pick<FilesDeps, 'db' | 'settings'> & { language: string };

/**
 * The caller's own files and folders whose name contains `q` (or contains it with one typo),
 * or whose extracted text matches it: ranked exact, prefix, substring, typo, content-only;
 * each with its folder path and, for a content match, a snippet.
 */
export const searchMyFiles = async ({
  ownerId,
  q,
  limit,
  cursor,
  filters,
  ...deps
}: SearchDeps & {
  ownerId: string;
  q: string;
  limit: number;
  cursor?: string | undefined;
  filters: SearchFilters;
}) => {
  await ensureUserSpace({ ...deps, ownerId });
  const after = cursor ? decodeCursor(cursor) : null;
  // Search covers the caller's own files: a folder shared with them narrows it to nothing.
  const folderId = filters.folderId
    ? (
        await getFolderOrThrow({
          ...deps,
          actor: userActor(ownerId),
          id: filters.folderId,
          action: 'read',
        })
      ).id
    : undefined;
  const key = toSearchKey(q);
  const query = {
    ownerId,
    key,
    typoPatterns: oneEditPatterns(key),
    text: q,
    language: deps.language,
    filters: { ...filters, folderId },
  };
  const rows = await searchNodes(deps.db, { ...query, after, limit: limit + 1 });
  const total = rows[0]?.total ?? (after ? await countSearchHits(deps.db, query) : 0);
  const page = rows.slice(0, limit);
  const ids = page.map((row) => row.id);
  const paths = await getPathsOf(deps.db, { ids });
  const starred = new Set(await listStarredAmong(deps.db, { userId: ownerId, nodeIds: ids }));
  const last = page.at(-1);
  return {
    hits: page.map((row) => ({
      node: row,
      path: paths.get(row.id) ?? [],
      matchedBy: row.rank < rankOf.content ? ('name' as const) : ('content' as const),
      snippet: row.headline ? toSnippet(row.headline) : null,
      starred: starred.has(row.id),
    })),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ rank: last.rank, sortKey: last.sort_key, id: last.id })
        : null,
    total: Math.min(total, TOTAL_CAP),
    totalIsExact: total <= TOTAL_CAP,
  };
};
