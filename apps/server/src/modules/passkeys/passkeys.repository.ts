import type { Db } from '../../db/database.js';

export const insertPasskey = (
  db: Db,
  passkey: {
    id: string;
    userId: string;
    credentialId: string;
    publicKey: Uint8Array;
    counter: number;
    transports: string[];
    name: string;
    backedUp: boolean;
  },
) =>
  db
    .insertInto('passkeys')
    .values({
      id: passkey.id,
      user_id: passkey.userId,
      credential_id: passkey.credentialId,
      public_key: passkey.publicKey,
      counter: passkey.counter,
      transports: passkey.transports,
      name: passkey.name,
      backed_up: passkey.backedUp,
    })
    .onConflict((conflict) => conflict.column('credential_id').doNothing())
    .returningAll()
    .executeTakeFirst();

export const listPasskeys = (db: Db, userId: string) =>
  db
    .selectFrom('passkeys')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();

export const findPasskeyByCredentialId = (db: Db, credentialId: string) =>
  db
    .selectFrom('passkeys')
    .selectAll()
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();

export const renamePasskey = (
  db: Db,
  { userId, id, name }: { userId: string; id: string; name: string },
) =>
  db
    .updateTable('passkeys')
    .set({ name })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();

export const deletePasskey = (db: Db, { userId, id }: { userId: string; id: string }) =>
  db
    .deleteFrom('passkeys')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();

/**
 * Moves the signature counter on only from the value the check was made against, so two
 * assertions racing with counters cannot both be taken.
 */
export const recordPasskeyUse = async (
  db: Db,
  { id, fromCounter, toCounter }: { id: string; fromCounter: string; toCounter: number },
) => {
  const row = await db
    .updateTable('passkeys')
    .set({ counter: toCounter, last_used_at: new Date() })
    .where('id', '=', id)
    .where('counter', '=', fromCounter)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
};
