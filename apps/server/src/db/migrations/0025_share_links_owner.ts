import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Every node event first asks whether its owner shares anything at all (most never do), so
 * that the walk up the tree for sharees and links runs only for those who do. Shares are
 * found by owner already; links need this index for the same answer.
 */
export const migration0025ShareLinksOwner: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index share_links_owner_idx on share_links (owner_id)`.execute(db);
  },
};
