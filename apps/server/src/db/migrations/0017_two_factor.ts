import { sql, type Kysely, type Migration } from 'kysely';

/** TOTP, recovery codes, passkeys, and when a session last proved its owner was present. */
export const migration0017TwoFactor: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table totp_credentials (
        user_id uuid primary key references users (id) on delete cascade,
        secret text not null,
        confirmed_at timestamptz,
        last_used_step bigint,
        created_at timestamptz not null default now()
      )
    `.execute(db);
    await sql`
      create table recovery_codes (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        code_hash text not null unique,
        used_at timestamptz,
        created_at timestamptz not null default now()
      )
    `.execute(db);
    await sql`create index recovery_codes_user_idx on recovery_codes (user_id)`.execute(db);
    await sql`
      create table passkeys (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        credential_id text not null unique,
        public_key bytea not null,
        counter bigint not null,
        transports text[] not null default '{}',
        name text not null,
        backed_up boolean not null default false,
        created_at timestamptz not null default now(),
        last_used_at timestamptz
      )
    `.execute(db);
    await sql`create index passkeys_user_idx on passkeys (user_id, created_at)`.execute(db);
    await sql`alter table sessions add column reauthenticated_at timestamptz`.execute(db);
  },
};
