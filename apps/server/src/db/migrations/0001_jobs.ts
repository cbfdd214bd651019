import { sql, type Kysely, type Migration } from 'kysely';

export const migration0001Jobs: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table jobs (
        id uuid primary key,
        name text not null,
        payload jsonb not null,
        owner_id uuid,
        status text not null default 'queued'
          check (status in ('queued', 'running', 'done', 'failed')),
        priority integer not null default 0,
        attempts integer not null default 0,
        max_attempts integer not null default 5 check (max_attempts >= 1),
        run_at timestamptz not null default now(),
        locked_by text,
        locked_until timestamptz,
        singleton_key text,
        progress jsonb,
        result jsonb,
        last_error text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        started_at timestamptz,
        finished_at timestamptz
      )
    `.execute(db);
    // The fetch query scans only what can run: queued work by due time, and running work by lease.
    await sql`create index jobs_queued_idx on jobs (run_at) where status = 'queued'`.execute(db);
    await sql`create index jobs_running_lease_idx on jobs (locked_until) where status = 'running'`.execute(
      db,
    );
    await sql`create index jobs_owner_idx on jobs (owner_id, created_at desc) where owner_id is not null`.execute(
      db,
    );
    await sql`create index jobs_finished_idx on jobs (finished_at) where status in ('done', 'failed')`.execute(
      db,
    );
    // At most one live job per singleton key: enqueuing twice is a no-op, not a duplicate.
    await sql`
      create unique index jobs_singleton_idx on jobs (name, singleton_key)
      where singleton_key is not null and status in ('queued', 'running')
    `.execute(db);
    await sql`
      create table job_schedules (
        name text primary key,
        job_name text not null,
        payload jsonb not null default '{}',
        interval_seconds integer not null check (interval_seconds > 0),
        next_run_at timestamptz not null
      )
    `.execute(db);
  },
};
