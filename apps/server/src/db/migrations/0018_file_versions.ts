import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Earlier contents of a file, kept when it is replaced. A version owns its blob (the key moves
 * here from the file row), so quota, archive and purge treat it like a file's content.
 * `owner_id` is the file's owner, whose quota holds the bytes.
 */
export const migration0018FileVersions: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table file_versions (
        id uuid primary key,
        -- cascade is a backstop only: purges delete versions first and enqueue their blobs; a
        -- blob a cascade leaves behind is removed by the orphan sweep.
        node_id uuid not null references nodes(id) on delete cascade,
        owner_id uuid not null references users(id) on delete cascade,
        blob_key text not null unique,
        size bigint not null check (size >= 0),
        sha256 text not null,
        content_type text collate "C" not null,
        -- When these bytes became the file's content.
        modified_at timestamptz not null,
        -- When they were replaced and kept as this version; retention counts from here.
        created_at timestamptz not null,
        -- Who replaced them; null once that account is gone.
        created_by uuid references users(id) on delete set null
      )
    `.execute(db);
    await sql`create index file_versions_node_idx on file_versions (node_id, created_at desc, id desc)`.execute(
      db,
    );
    await sql`create index file_versions_owner_idx on file_versions (owner_id)`.execute(db);
  },
};
