import { uuidv7 } from 'uuidv7';
import type { Db } from '../../db/database.js';

export const findTotpCredential = (db: Db, userId: string) =>
  db.selectFrom('totp_credentials').selectAll().where('user_id', '=', userId).executeTakeFirst();

/** A new unconfirmed secret replaces an earlier unconfirmed one, never a confirmed one. */
export const upsertPendingTotp = async (
  db: Db,
  { userId, secret }: { userId: string; secret: string },
) => {
  const row = await db
    .insertInto('totp_credentials')
    .values({ user_id: userId, secret })
    .onConflict((conflict) =>
      conflict
        .column('user_id')
        .doUpdateSet({ secret })
        .where('totp_credentials.confirmed_at', 'is', null),
    )
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
};

export const confirmTotp = async (db: Db, { userId, step }: { userId: string; step: number }) => {
  const row = await db
    .updateTable('totp_credentials')
    .set({ confirmed_at: new Date(), last_used_step: step })
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is', null)
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
};

/**
 * Marks `step` used if it is newer than the last one: two requests with the same code (or an
 * older one) cannot both pass, whatever their interleaving, since the row is updated at most
 * once per step.
 */
export const spendTotpStep = async (db: Db, { userId, step }: { userId: string; step: number }) => {
  const row = await db
    .updateTable('totp_credentials')
    .set({ last_used_step: step })
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .where((eb) =>
      eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', String(step))]),
    )
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
};

export const deleteTwoFactor = async (db: Db, userId: string) => {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db.deleteFrom('totp_credentials').where('user_id', '=', userId).execute();
};

export const replaceRecoveryCodes = async (
  db: Db,
  { userId, hashes }: { userId: string; hashes: string[] },
) => {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((hash) => ({ id: uuidv7(), user_id: userId, code_hash: hash })))
    .execute();
};

/** Spends an unused code of this user's; false if none matched (wrong, used, or another's). */
export const spendRecoveryCode = async (
  db: Db,
  { userId, hash }: { userId: string; hash: string },
) => {
  const row = await db
    .updateTable('recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
};

export const countUnusedRecoveryCodes = async (db: Db, userId: string) => {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
};
