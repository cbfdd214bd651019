import { sql, type Kysely, type Migration } from 'kysely';

/**
 * People shares: a node shared with a person, by email, as viewer or editor. The grant covers
 * the node's whole subtree; resolving a role walks the ancestors by primary key and probes
 * `(node_id, grantee_id)` at each, so it costs one indexed lookup per level. An address with no
 * account yet is a pending share (`grantee_id` null) that the account claims once its email is
 * verified, so answering a share request never reveals whether an address has an account.
 */
export const migration0007Shares: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table shares (
        id uuid primary key,
        node_id uuid not null references nodes(id) on delete cascade,
        -- The node's owner, kept here so "shared by me" is one index range.
        owner_id uuid not null references users(id) on delete cascade,
        grantee_id uuid references users(id) on delete cascade,
        -- Lower-cased, as users_email_idx compares.
        grantee_email text collate "C" not null,
        role text not null check (role in ('viewer', 'editor')),
        created_at timestamptz not null,
        updated_at timestamptz not null,
        check (owner_id <> grantee_id)
      )
    `.execute(db);
    await sql`create unique index shares_node_grantee_idx on shares (node_id, grantee_id)`.execute(
      db,
    );
    await sql`create unique index shares_node_email_idx on shares (node_id, grantee_email)`.execute(
      db,
    );
    await sql`create index shares_grantee_idx on shares (grantee_id, created_at, id)`.execute(db);
    await sql`create index shares_pending_idx on shares (grantee_email) where grantee_id is null`.execute(
      db,
    );
    await sql`create index shares_owner_idx on shares (owner_id, created_at, id)`.execute(db);
  },
};
