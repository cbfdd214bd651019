import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Runs of a job whose worker vanished (its lease ran out) are counted apart from attempts:
 * a crash or a lost node is not the job's failure, so it must not use up the job's retries.
 * A schedule keeps its job type's attempts, which the jobs it makes then get.
 */
export const migration0008JobLostRuns: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table jobs add column lost_runs integer not null default 0`.execute(db);
    await sql`alter table job_schedules add column max_attempts integer not null default 3`.execute(
      db,
    );
  },
};
