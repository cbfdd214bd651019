import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Archive and restore keep their progress in `nodes.storage_state` (per file, so a job that
 * stops anywhere resumes); a failed restore leaves its reason on the folder it was asked for.
 */
export const migration0004Archive: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table nodes add column archive_error text`.execute(db);
    // Set once the cold tier was asked to thaw a file: a cold copy still "archived" after
    // that means the restore failed rather than not started.
    await sql`alter table nodes add column restore_requested_at timestamptz`.execute(db);
  },
};
