import { sql, type Kysely, type Migration } from 'kysely';

/**
 * WebDAV write locks (RFC 4918 class 2). They live in the database, not in a process, so every
 * API instance sees and enforces the same locks; expiry is judged on the database's clock.
 */
export const migration0010DavLocks: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table dav_locks (
        token text primary key,
        node_id uuid not null references nodes(id) on delete cascade,
        owner_id uuid not null references users(id) on delete cascade,
        user_id uuid not null references users(id) on delete cascade,
        scope text not null check (scope in ('exclusive', 'shared')),
        depth text not null check (depth in ('0', 'infinity')),
        owner_xml text not null,
        timeout_seconds integer not null check (timeout_seconds > 0),
        expires_at timestamptz not null,
        created_at timestamptz not null default now()
      )
    `.execute(db);
    await sql`create index dav_locks_node on dav_locks (node_id)`.execute(db);
    await sql`create index dav_locks_owner on dav_locks (owner_id, expires_at)`.execute(db);
  },
};
