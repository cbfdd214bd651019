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

type SearchQuery = {
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

/** Must stay the indexed expression (nodes_search_key_trgm_idx) for the index to be used. */
const searchKey = (alias: string) => sql`lower(normalize(${sql.ref(`${alias}.name_key`)}, NFKC))`;

const tsQuery = ({ language, text }: Pick<SearchQuery, 'language' | 'text'>) =>
  sql`websearch_to_tsquery(${language}::regconfig, ${text})`;

const nameMatches = ({ key, typoPatterns }: SearchQuery) =>
  sql.join(
    [`%${escapeLike(key)}%`, ...typoPatterns].map(
      (pattern) => sql`${searchKey('s')} like ${pattern}`,
    ),
    sql` or `,
  );

const rankExpression = ({ key, typoPatterns }: SearchQuery) => sql<number>`case
    when ${searchKey('n')} = ${key} or regexp_replace(${searchKey('n')}, ${EXTENSION}, '') = ${key}
      then ${sql.lit(rankOf.exact)}
    when ${searchKey('n')} like ${`${escapeLike(key)}%`} then ${sql.lit(rankOf.prefix)}
    when ${searchKey('n')} like ${`%${escapeLike(key)}%`} then ${sql.lit(rankOf.substring)}
    ${typoPatterns.length > 0 ? sql`when ${searchKey('n')} like any(${typoPatterns}::text[]) then ${sql.lit(rankOf.typo)}` : sql``}
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
 * Hits are gathered first, by name through the trigram index (one bitmap scan per pattern)
 * and by content through the tsvector index, so the filters and the ranking only ever see
 * matching rows, never the owner's whole tree.
 */
const rankedHits = (query: SearchQuery) => sql`
  with hits as (
    select s.id from nodes s where s.owner_id = ${query.ownerId} and (${nameMatches(query)})
    union
    select t.node_id from node_texts t join nodes m on m.id = t.node_id and m.blob_key = t.blob_key
    where t.owner_id = ${query.ownerId} and t.tsv @@ ${tsQuery(query)}
  )
  select n.*, ${rankExpression(query)} as rank
  from hits join nodes n on n.id = hits.id
  where n.owner_id = ${query.ownerId} and ${filterConditions(query)}
`;

export type SearchRow = NodeRow & { rank: number; headline: string | null };

/** One page of hits, best first: rank, then natural name order. */
export const searchNodes = async (
  db: Db,
  query: SearchQuery & { after: SearchPosition | null; limit: number },
) => {
  const after = query.after
    ? sql`where (r.rank, r.sort_key, r.id) > (${query.after.rank}, ${query.after.sortKey}, ${query.after.id}::uuid)`
    : sql``;
  const result = await sql<SearchRow>`
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
  `.execute(db);
  return result.rows;
};

/** How many hits in all, counted up to `cap` + 1 so the caller can say "more than cap". */
export const countSearchHits = async (db: Db, query: SearchQuery & { cap: number }) => {
  const result = await sql<{ count: number }>`
    select count(*)::int as count from (select 1 from (${rankedHits(query)}) r limit ${query.cap + 1}) capped
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
