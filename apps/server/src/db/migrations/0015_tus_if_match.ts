import { sql, type Kysely, type Migration } from 'kysely';

/** A resumable replace's `If-Match`, given at creation and checked again at completion. */
export const migration0015TusIfMatch: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table tus_uploads add column if_match text`.execute(db);
  },
};
