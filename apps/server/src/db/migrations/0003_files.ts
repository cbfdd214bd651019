import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Folders and files share one `nodes` table: a folder listing (folders first), a subtree walk
 * for trash and a name-uniqueness rule among siblings then each need one query and one index.
 * Needs `users` from 0002 (accounts).
 */
export const migration0003Files: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table nodes (
        id uuid primary key,
        owner_id uuid not null references users(id) on delete cascade,
        -- set null: purging a trashed folder leaves an item trashed earlier inside it in the
        -- trash, restorable through its remembered path.
        parent_id uuid references nodes(id) on delete set null,
        is_root boolean not null default false,
        is_folder boolean not null,
        name text not null,
        -- NFC + case folding, computed by the server (PostgreSQL's lower() depends on the
        -- database locale and PGlite's only folds ASCII).
        name_key text collate "C" not null,
        -- name_key with digit runs length-prefixed, so byte order is natural order.
        sort_key text collate "C" not null,
        size bigint not null default 0 check (size >= 0),
        content_type text collate "C" not null,
        sha256 text,
        blob_key text unique,
        storage_state text not null default 'hot'
          check (storage_state in ('hot', 'archiving', 'archived', 'restoring')),
        created_at timestamptz not null,
        updated_at timestamptz not null,
        trashed_at timestamptz,
        trash_batch_id uuid,
        is_trash_root boolean not null default false,
        -- Names of the ancestors (below the root) when this item was trashed.
        trash_path jsonb,
        check (not is_root or (is_folder and parent_id is null)),
        check (is_root or parent_id is not null or trashed_at is not null),
        check (is_folder = (blob_key is null)),
        check ((trashed_at is null) = (trash_batch_id is null))
      )
    `.execute(db);
    await sql`create unique index nodes_root_idx on nodes (owner_id) where is_root`.execute(db);
    // The race guard: two requests creating the same name can never both commit.
    await sql`
      create unique index nodes_sibling_name_idx on nodes (parent_id, name_key)
      where trashed_at is null
    `.execute(db);
    // Keyset listing: one index per sort, folders and files scanned as two ranges.
    for (const [name, columns] of [
      ['name', 'sort_key, id'],
      ['updated', 'updated_at, sort_key, id'],
      ['size', 'size, sort_key, id'],
      ['type', 'content_type, sort_key, id'],
    ] as const) {
      await sql
        .raw(
          `create index nodes_children_${name}_idx on nodes (parent_id, is_folder, ${columns}) where trashed_at is null`,
        )
        .execute(db);
    }
    await sql`
      create index nodes_search_idx on nodes (owner_id, name_key, id)
      where trashed_at is null and not is_root
    `.execute(db);
    await sql`create index nodes_trash_idx on nodes (owner_id, trashed_at, id) where is_trash_root`.execute(
      db,
    );
    await sql`create index nodes_trash_batch_idx on nodes (trash_batch_id) where trash_batch_id is not null`.execute(
      db,
    );

    await sql`
      create table storage_usage (
        user_id uuid primary key references users(id) on delete cascade,
        quota_bytes bigint not null check (quota_bytes >= 0),
        used_bytes bigint not null default 0 check (used_bytes >= 0),
        file_count integer not null default 0 check (file_count >= 0)
      )
    `.execute(db);

    await sql`
      create table tus_uploads (
        id text primary key,
        owner_id uuid not null references users(id) on delete cascade,
        folder_id uuid not null,
        name text not null,
        size bigint not null,
        on_conflict text not null,
        file_id uuid,
        created_at timestamptz not null default now(),
        completed_at timestamptz
      )
    `.execute(db);
    await sql`create index tus_uploads_created_idx on tus_uploads (created_at) where completed_at is null`.execute(
      db,
    );
  },
};
