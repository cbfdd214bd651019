import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Thumbnail progress per file. Null means no thumbnail will be made (a folder, a type we cannot
 * decode, a source over the size limit, or a file uploaded before this migration); the rest
 * follow the `thumbnails.render` job. The thumbnail itself lives in the blob store under
 * `thumbnails/<blob_key>`, so new content never shows an old picture.
 */
export const migration0005Thumbnails: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      alter table nodes add column thumbnail_state text
        check (thumbnail_state in ('pending', 'ready', 'failed'))
    `.execute(db);
  },
};
