import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Search, stars and recent files.
 *
 * Names are searched through a trigram index on their search key: the stored name key
 * (NFC, case-folded) brought to NFKC, so "ﬁle" finds "file" and a full-width "ＡＢＣ" finds
 * "abc"; `lower` again because NFKC can turn a folded letter back into a capital ("ℌ" → "H").
 * pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
 *
 * Text extracted from file contents is kept with its tsvector, so a hit can show a snippet.
 */
export const migration0016Search: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`
      create index nodes_search_key_trgm_idx on nodes
      using gin (lower(normalize(name_key, NFKC)) gin_trgm_ops)
    `.execute(db);
    await sql`
      create table node_texts (
        node_id uuid primary key references nodes(id) on delete cascade,
        owner_id uuid not null references users(id) on delete cascade,
        blob_key text not null,
        body text not null,
        tsv tsvector not null,
        truncated boolean not null default false,
        indexed_at timestamptz not null default now()
      )
    `.execute(db);
    await sql`create index node_texts_tsv_idx on node_texts using gin (tsv)`.execute(db);
    await sql`create index node_texts_owner_idx on node_texts (owner_id)`.execute(db);
    await sql`
      create table stars (
        user_id uuid not null references users(id) on delete cascade,
        node_id uuid not null references nodes(id) on delete cascade,
        created_at timestamptz not null default now(),
        primary key (user_id, node_id)
      )
    `.execute(db);
    await sql`create index stars_list_idx on stars (user_id, created_at desc, node_id desc)`.execute(
      db,
    );
    await sql`
      create table node_opens (
        user_id uuid not null references users(id) on delete cascade,
        node_id uuid not null references nodes(id) on delete cascade,
        opened_at timestamptz not null,
        primary key (user_id, node_id)
      )
    `.execute(db);
    await sql`create index node_opens_recent_idx on node_opens (user_id, opened_at desc, node_id desc)`.execute(
      db,
    );
    await sql`
      create index nodes_recent_idx on nodes (owner_id, updated_at desc, id desc)
      where not is_folder and trashed_at is null
    `.execute(db);
  },
};
