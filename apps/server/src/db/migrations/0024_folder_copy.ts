import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A folder copy in progress: what it will make, staged outside `nodes` so nobody sees a half
 * tree. The rows are written with the job; the job copies each file's blob, then one
 * transaction turns every item into a node and the reservation into usage, and deletes them.
 * While they exist their blob keys count as referenced, so the orphan sweep leaves them alone.
 */
export const migration0024FolderCopy: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table folder_copies (
        job_id uuid primary key,
        requester_id uuid not null references users(id) on delete cascade,
        -- Whose quota holds the bytes: the target folder's owner, as for an upload.
        quota_user_id uuid not null references users(id) on delete cascade,
        target_folder_id uuid not null,
        on_conflict text not null check (on_conflict in ('rename', 'fail')),
        bytes bigint not null check (bytes >= 0),
        files integer not null check (files >= 0),
        created_at timestamptz not null default now()
      )
    `.execute(db);
    await sql`
      create table folder_copy_items (
        job_id uuid not null references folder_copies(job_id) on delete cascade,
        source_id uuid not null,
        new_id uuid not null unique,
        -- Null for the copied folder itself, which goes into the target folder.
        source_parent_id uuid,
        depth integer not null,
        is_folder boolean not null,
        name text not null,
        name_key text not null,
        sort_key text not null,
        size bigint not null,
        content_type text collate "C" not null,
        sha256 text,
        source_blob_key text,
        new_blob_key text unique,
        thumbnail_state text,
        copied boolean not null default false,
        primary key (job_id, source_id)
      )
    `.execute(db);
    await sql`create index folder_copy_items_pending_idx on folder_copy_items (job_id) where not copied and not is_folder`.execute(
      db,
    );
  },
};
