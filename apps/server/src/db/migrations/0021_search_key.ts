import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Names are searched by a stored search key: the name key brought to NFKC and lower-cased again
 * (see 0016). The expression index it replaces made every row the search ranked, and every
 * pattern it rechecked, normalise the name again; a generated column is computed once, when the
 * name is written, by the database itself, so no write path can forget it.
 */
export const migration0021SearchKey: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      alter table nodes add column search_key text
      generated always as (lower(normalize(name_key, NFKC))) stored
    `.execute(db);
    await sql`drop index nodes_search_key_trgm_idx`.execute(db);
    await sql`create index nodes_search_key_trgm_idx on nodes using gin (search_key gin_trgm_ops)`.execute(
      db,
    );
  },
};
