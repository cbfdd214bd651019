import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { LinkRole } from '../access/access.models.js';
import type { ShareLinkRow } from './links.tables.js';

export const insertShareLink = (
  db: Db,
  link: {
    id: string;
    nodeId: string;
    ownerId: string;
    tokenHash: string;
    tokenSealed: { kid: string; sealed: string };
    role: LinkRole;
    label: string;
    passwordHash: string | null;
    expiresAt: Date | null;
    downloadLimit: number | null;
  },
) =>
  db
    .insertInto('share_links')
    .values({
      id: link.id,
      node_id: link.nodeId,
      owner_id: link.ownerId,
      token_hash: link.tokenHash,
      token_sealed: link.tokenSealed.sealed,
      token_kid: link.tokenSealed.kid,
      role: link.role,
      label: link.label,
      password_hash: link.passwordHash,
      expires_at: link.expiresAt,
      download_limit: link.downloadLimit,
      last_accessed_at: null,
      revoked_at: null,
      created_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();

export const listLinksOfNode = (db: Db, { nodeId }: { nodeId: string }) =>
  db
    .selectFrom('share_links')
    .selectAll()
    .where('node_id', '=', nodeId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

export const getLinkById = (db: Db, { id }: { id: string }) =>
  db.selectFrom('share_links').selectAll().where('id', '=', id).executeTakeFirst();

export const getLinkByTokenHash = (db: Db, { tokenHash }: { tokenHash: string }) =>
  db.selectFrom('share_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();

/**
 * Idempotent: a link revoked twice keeps its first revocation time. Its sealed token goes: a
 * revoked link opens nothing, so nobody needs to copy it.
 */
export const revokeLinkRow = (db: Db, { id }: { id: string }): Promise<ShareLinkRow> =>
  db
    .updateTable('share_links')
    .set({
      revoked_at: sql<Date>`coalesce(revoked_at, now())`,
      token_sealed: null,
      token_kid: null,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

export const recordLinkAccess = (db: Db, { id }: { id: string }) =>
  db
    .updateTable('share_links')
    .set({ access_count: sql<number>`access_count + 1`, last_accessed_at: new Date() })
    .where('id', '=', id)
    .execute();

/**
 * Counts one download, in the statement that checks the limit: two racing downloads cannot both
 * take the last one. Undefined when the limit is reached.
 */
export const takeLinkDownload = (db: Db, { id }: { id: string }) =>
  db
    .updateTable('share_links')
    .set({ download_count: sql<number>`download_count + 1` })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('download_limit', 'is', null),
        eb('download_count', '<', eb.ref('download_limit')),
      ]),
    )
    .returning('id')
    .executeTakeFirst();

/**
 * Links whose token is sealed under another key than `currentKid`, a page at a time by id (rows
 * left alone are not read again). Revoked links hold no sealed token.
 */
export const listLinksSealedUnderOtherKeys = (
  db: Db,
  { currentKid, after, limit }: { currentKid: string; after?: string | undefined; limit: number },
) => {
  let query = db
    .selectFrom('share_links')
    .select(['id', 'token_sealed', 'token_kid'])
    .where('token_kid', 'is not', null)
    .where('token_kid', '<>', currentKid);
  if (after !== undefined) query = query.where('id', '>', after);
  return query.orderBy('id').limit(limit).execute();
};

/** Only when the row still holds what was read: a revocation in between wins. */
export const replaceSealedToken = (
  db: Db,
  {
    id,
    from,
    to,
  }: { id: string; from: { kid: string; sealed: string }; to: { kid: string; sealed: string } },
) =>
  db
    .updateTable('share_links')
    .set({ token_sealed: to.sealed, token_kid: to.kid })
    .where('id', '=', id)
    .where('token_kid', '=', from.kid)
    .where('token_sealed', '=', from.sealed)
    .executeTakeFirst();
