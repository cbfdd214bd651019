import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The two search indexes (names' trigrams, contents' tsvector) take each new row into the index
 * itself rather than into GIN's pending list. With the list on, every search read the whole
 * unsorted list (up to 4 MB) before the index proper: at a million names, a name search that
 * needs 4 ms took 300 ms until a vacuum happened to flush it. A write now pays a few more index
 * pages, once, instead of every search after it. The lists already built are flushed here.
 */
export const migration0022SearchIndexNoPendingList: Migration = {
  async up(db: Kysely<unknown>) {
    for (const index of ['nodes_search_key_trgm_idx', 'node_texts_tsv_idx']) {
      await sql`alter index ${sql.id(index)} set (fastupdate = off)`.execute(db);
      await sql`select gin_clean_pending_list(${index}::regclass)`.execute(db);
    }
  },
};
