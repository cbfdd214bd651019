import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Administration and account lifecycle: a role per account, disabling, and deletion (the
 * account's email is released at once; a job removes its data, then the row).
 */
export const migration0020Admin: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      alter table users
        add column role text not null default 'user' check (role in ('user', 'admin')),
        add column disabled_at timestamptz,
        add column deleted_at timestamptz
    `.execute(db);
    // An instance that already has accounts: its first one administers it, as on a fresh one.
    await sql`
      update users set role = 'admin'
      where id = (select id from users order by created_at, id limit 1)
    `.execute(db);
  },
};
