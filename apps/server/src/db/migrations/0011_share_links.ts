import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Share links: a file or folder opened by whoever holds the link's token, as a viewer or as an
 * uploader (a drop box). Only the token's SHA-256 is stored, so a leaked table opens nothing.
 * Revoking keeps the row (a revoked link answers 410, not 404, and its counters stay visible).
 */
export const migration0011ShareLinks: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table share_links (
        id uuid primary key,
        node_id uuid not null references nodes(id) on delete cascade,
        owner_id uuid not null references users(id) on delete cascade,
        token_hash text collate "C" not null,
        role text not null check (role in ('viewer', 'uploader')),
        label text not null default '',
        -- argon2id; null when the link needs no password.
        password_hash text,
        expires_at timestamptz,
        download_limit integer check (download_limit > 0),
        download_count integer not null default 0,
        access_count integer not null default 0,
        last_accessed_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz not null
      )
    `.execute(db);
    await sql`create unique index share_links_token_idx on share_links (token_hash)`.execute(db);
    await sql`create index share_links_node_idx on share_links (node_id, created_at, id)`.execute(
      db,
    );
  },
};
