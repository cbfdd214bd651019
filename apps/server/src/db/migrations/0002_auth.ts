import { sql, type Kysely, type Migration } from 'kysely';

export const migration0002Auth: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table users (
        id uuid primary key,
        email text not null,
        password_hash text not null,
        email_verified_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        password_changed_at timestamptz not null default now()
      )
    `.execute(db);
    // Case variants of one address are one account, whatever case the user types.
    await sql`create unique index users_email_idx on users (lower(email))`.execute(db);

    await sql`
      create table sessions (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        created_at timestamptz not null default now(),
        last_seen_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz,
        revoked_reason text,
        ip text,
        user_agent text,
        device text not null default 'Unknown device'
      )
    `.execute(db);
    await sql`create index sessions_user_idx on sessions (user_id, created_at desc)`.execute(db);

    // One row per refresh token ever issued; a session is the token family.
    await sql`
      create table refresh_tokens (
        id uuid primary key,
        session_id uuid not null references sessions (id) on delete cascade,
        token_hash text not null unique,
        created_at timestamptz not null default now(),
        rotated_at timestamptz
      )
    `.execute(db);
    await sql`create index refresh_tokens_session_idx on refresh_tokens (session_id, created_at desc)`.execute(
      db,
    );

    await sql`
      create table personal_tokens (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        name text not null,
        token_hash text not null unique,
        scopes text[] not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        last_used_at timestamptz,
        revoked_at timestamptz
      )
    `.execute(db);
    await sql`create index personal_tokens_user_idx on personal_tokens (user_id, created_at desc)`.execute(
      db,
    );

    // A signed link is single-use: its id is recorded in the transaction that acts on it.
    await sql`
      create table used_links (
        jti text primary key,
        purpose text not null,
        used_at timestamptz not null default now(),
        expires_at timestamptz not null
      )
    `.execute(db);

    await sql`
      create table security_events (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        type text not null,
        session_id uuid,
        ip text,
        user_agent text,
        details jsonb not null default '{}',
        created_at timestamptz not null default now()
      )
    `.execute(db);
    await sql`create index security_events_user_idx on security_events (user_id, id desc)`.execute(
      db,
    );
  },
};
