import { sql, type Kysely, type Migration } from 'kysely';

/** Provider accounts linked to ours: (issuer, subject) is the only key a sign-in looks up. */
export const migration0019OidcIdentities: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table oidc_identities (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        provider text not null,
        issuer text not null,
        subject text not null,
        email text,
        created_at timestamptz not null default now(),
        last_used_at timestamptz not null default now(),
        unique (issuer, subject)
      )
    `.execute(db);
    await sql`create index oidc_identities_user_idx on oidc_identities (user_id)`.execute(db);
  },
};
