import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A share link's token, sealed with the key ring (AES-256-GCM, `keys/key-ring.sealing.ts`), so
 * its owner can copy the link again; lookups still go through `token_hash`. Links made before
 * this migration only ever had the hash: their token cannot be recovered, so they keep both
 * columns null and the API answers them 409 `link_not_copyable` (they still open as before).
 * A revoked link drops its sealed token: nothing needs it any more.
 */
export const migration0014ShareLinkTokens: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      alter table share_links
        add column token_sealed text,
        add column token_kid text,
        add constraint share_links_token_sealed_kid
          check ((token_sealed is null) = (token_kid is null))
    `.execute(db);
    // The reseal job looks for live sealed tokens whose key is not the newest.
    await sql`
      create index share_links_token_kid_idx on share_links (token_kid)
        where token_kid is not null
    `.execute(db);
  },
};
