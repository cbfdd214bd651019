import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

/**
 * The account's address is replaced by one nobody can hold, so it is free for a new sign-up at
 * once, while the row stays until the deletion job has removed the account's data.
 */
export const markAccountDeleted = (db: Db, userId: string) =>
  db
    .updateTable('users')
    .set({
      email: `deleted-${userId}@deleted.invalid`,
      deleted_at: new Date(),
      disabled_at: new Date(),
      updated_at: new Date(),
    })
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .returning('id')
    .executeTakeFirst();

/** Nobody reaches the account's files any more, through a share or a link. */
export const deleteSharesOf = async (db: Db, userId: string) => {
  await db.deleteFrom('shares').where('owner_id', '=', userId).execute();
  await db.deleteFrom('share_links').where('owner_id', '=', userId).execute();
};

/** The account's blob keys (files, trashed or not, and versions), in key order after `after`. */
export const listBlobKeysOf = async (
  db: Db,
  { userId, after, limit }: { userId: string; after: string; limit: number },
) => {
  const { rows } = await sql<{ key: string }>`
    select key from (
      select blob_key as key from nodes where owner_id = ${userId} and blob_key is not null
      union all
      select blob_key from file_versions where owner_id = ${userId}
    ) keys
    where key > ${after}
    order by key
    limit ${limit}
  `.execute(db);
  return rows.map((row) => row.key);
};

/** Everything else the account had goes with its row (every table cascades from it). */
export const deleteAccountRow = (db: Db, userId: string) =>
  db.deleteFrom('users').where('id', '=', userId).where('deleted_at', 'is not', null).execute();

/** Undefined when another account holds the address (the unique index decides a race). */
export const changeEmail = (db: Db, { userId, email }: { userId: string; email: string }) =>
  db
    .updateTable('users')
    .set({ email, email_verified_at: new Date(), updated_at: new Date() })
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .where(
      sql<boolean>`not exists (select 1 from users other
        where lower(other.email) = ${email.toLowerCase()} and other.id <> ${userId})`,
    )
    .returning('id')
    .executeTakeFirst();
