import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { escapeLike, rankOf, SNIPPET_START, SNIPPET_STOP } from './search.models.js';

export type SearchFilters = {
  kind?: 'file' | 'folder' | undefined;
  modifiedAfter?: Date | undefined;
  modifiedBefore?: Date | undefined;
  minSize?: number | undefined;
  maxSize?: number | undefined;
  /** Only what lies below this folder (already authorized). */
  folderId?: string | undefined;
  includeTrash: boolean;
};

export type SearchPosition = { rank: number; sortKey: string; id: string };

export type SearchQuery = {
  ownerId: string;
  /** The query's search key (see `toSearchKey`). */
  key: string;
  /** `%…%` patterns for one typo (see `oneEditPatterns`). */
  typoPatterns: string[];
  /** The raw query, for full-text search of extracted contents. */
  text: string;
  language: string;
  filters: SearchFilters;
};

/** A name's last extension, which an exact match may leave out. */
const EXTENSION = '\\.[^.]*$';

const tsQuery = ({ language, text }: Pick<SearchQuery, 'language' | 'text'>) =>
  sql`websearch_to_tsquery(${language}::regconfig, ${text})`;

/** The substring pattern and the typo ones, as one array: one bitmap scan of the trigram index. */
const namePatterns = ({ key, typoPatterns }: SearchQuery) => [
  `%${escapeLike(key)}%`,
  ...typoPatterns,
];

/** Only ever computed for hits, on the stored search key (nodes_search_key_trgm_idx). */
const rankExpression = ({ key, typoPatterns }: SearchQuery) => sql<number>`case
    when n.search_key = ${key} or regexp_replace(n.search_key, ${EXTENSION}, '') = ${key}
      then ${sql.lit(rankOf.exact)}
    when n.search_key like ${`${escapeLike(key)}%`} then ${sql.lit(rankOf.prefix)}
    when n.search_key like ${`%${escapeLike(key)}%`} then ${sql.lit(rankOf.substring)}
    ${typoPatterns.length > 0 ? sql`when n.search_key like any(${typoPatterns}::text[]) then ${sql.lit(rankOf.typo)}` : sql``}
    else ${sql.lit(rankOf.content)} end`;

const filterConditions = ({ filters }: SearchQuery) => {
  const conditions: RawBuilder<unknown>[] = [sql`not n.is_root`];
  if (!filters.includeTrash) conditions.push(sql`n.trashed_at is null`);
  if (filters.kind) conditions.push(sql`n.is_folder = ${filters.kind === 'folder'}`);
  if (filters.modifiedAfter) conditions.push(sql`n.updated_at >= ${filters.modifiedAfter}`);
  if (filters.modifiedBefore) conditions.push(sql`n.updated_at < ${filters.modifiedBefore}`);
  if (filters.minSize !== undefined) conditions.push(sql`n.size >= ${filters.minSize}`);
  if (filters.maxSize !== undefined) conditions.push(sql`n.size <= ${filters.maxSize}`);
  if (filters.folderId) {
    conditions.push(sql`n.id in (
      with recursive subtree as (
        select id from nodes where parent_id = ${filters.folderId}
        union all
        select c.id from nodes c join subtree on c.parent_id = subtree.id
      )
      select id from subtree)`);
  }
  return sql.join(conditions, sql` and `);
};

/**
 * Hits are gathered first, by name through the trigram index and by content through the
 * tsvector index, so the filters and the ranking only ever see matching rows, never the
 * owner's whole tree. `total` counts every ranked hit before the cursor narrows them: the
 * ordering needs them all anyway, so the page and its total come from one pass.
 */
const rankedHits = (query: SearchQuery) => sql`
  with hits as (
    select s.id from nodes s
    where s.owner_id = ${query.ownerId} and s.search_key like any(${namePatterns(query)}::text[])
    union
    select t.node_id from node_texts t join nodes m on m.id = t.node_id and m.blob_key = t.blob_key
    where t.owner_id = ${query.ownerId} and t.tsv @@ ${tsQuery(query)}
  )
  select n.*, ${rankExpression(query)} as rank, (count(*) over ())::int as total
  from hits join nodes n on n.id = hits.id
  where n.owner_id = ${query.ownerId} and ${filterConditions(query)}
`;

export type SearchRow = NodeRow & { rank: number; total: number; headline: string | null };

/**
 * One page of hits, best first (rank, then natural name order), each row with the total
 * number of hits. A page past the last hit has no row to carry it: `countSearchHits` then.
 */
export const searchNodes = async (
  db: Db,
  query: SearchQuery & { after: SearchPosition | null; limit: number },
) => (await searchPageSql(query).execute(db)).rows;

/** The statement behind `searchNodes`, for the bench to print its plan. */
export const searchPageSql = (
  query: SearchQuery & { after: SearchPosition | null; limit: number },
) => {
  const after = query.after
    ? sql`where (r.rank, r.sort_key, r.id) > (${query.after.rank}, ${query.after.sortKey}, ${query.after.id}::uuid)`
    : sql``;
  return sql<SearchRow>`
    with page as (
      select r.* from (${rankedHits(query)}) r
      ${after}
      order by r.rank, r.sort_key, r.id
      limit ${query.limit}
    )
    select page.*, (
      select ts_headline(${query.language}::regconfig, t.body, ${tsQuery(query)},
        ${`StartSel=${SNIPPET_START}, StopSel=${SNIPPET_STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`})
      from node_texts t
      where t.node_id = page.id and t.blob_key = page.blob_key and t.tsv @@ ${tsQuery(query)}
    ) as headline
    from page
    order by page.rank, page.sort_key, page.id
  `;
};

/** How many hits in all, for a page that came back empty. */
export const countSearchHits = async (db: Db, query: SearchQuery) => {
  const result = await sql<{ count: number }>`
    select count(*)::int as count from (${rankedHits(query)}) r
  `.execute(db);
  return result.rows[0]?.count ?? 0;
};

/**
 * Stores a file's text, only while the file still holds the content it came from; the row
 * follows the file's owner, so search can scope it without a join.
 */
export const saveExtractedText = async (
  db: Db,
  {
    fileId,
    blobKey,
    body,
    truncated,
    language,
  }: { fileId: string; blobKey: string; body: string; truncated: boolean; language: string },
) => {
  const result = await sql<{ node_id: string }>`
    insert into node_texts (node_id, owner_id, blob_key, body, tsv, truncated, indexed_at)
    select n.id, n.owner_id, ${blobKey}, ${body}, to_tsvector(${language}::regconfig, ${body}), ${truncated}, now()
    from nodes n where n.id = ${fileId} and n.blob_key = ${blobKey}
    on conflict (node_id) do update set
      owner_id = excluded.owner_id, blob_key = excluded.blob_key, body = excluded.body,
      tsv = excluded.tsv, truncated = excluded.truncated, indexed_at = excluded.indexed_at
    returning node_id
  `.execute(db);
  return result.rows.length > 0;
};
