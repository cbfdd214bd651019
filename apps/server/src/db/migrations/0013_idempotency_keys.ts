import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Idempotency keys of write requests, per user, kept 24 hours: a client that lost the answer
 * to an upload retries with the same key and gets the first answer back instead of a second
 * copy. In the database, so a retry that reaches another instance finds it too.
 */
export const migration0013IdempotencyKeys: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table idempotency_keys (
        user_id uuid not null references users(id) on delete cascade,
        key text collate "C" not null,
        -- The method, route and query the key was first used for.
        target text not null,
        -- A digest of what was sent (file names and SHA-256s); null until the request finished.
        body_digest text,
        status integer,
        response jsonb,
        created_at timestamptz not null default now(),
        primary key (user_id, key)
      )
    `.execute(db);
    await sql`create index idempotency_keys_created_idx on idempotency_keys (created_at)`.execute(
      db,
    );
  },
};
