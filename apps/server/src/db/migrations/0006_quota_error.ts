import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Raises SQLSTATE `MF001`. SQL has no way to fail a statement on a condition; calling this from
 * a CASE does, so a statement that inserts a file and charges the quota can undo itself when the
 * charge does not fit, and needs no transaction around it.
 */
export const migration0006QuotaError: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create function myfile_quota_exceeded() returns boolean language plpgsql volatile as $$
      begin
        raise exception 'quota exceeded' using errcode = 'MF001';
      end
      $$
    `.execute(db);
  },
};
