import type { Db } from '../../../db/database.js';

export const insertPersonalToken = (
  db: Db,
  token: {
    id: string;
    userId: string;
    name: string;
    tokenHash: string;
    scopes: string[];
    expiresAt: Date;
  },
) =>
  db
    .insertInto('personal_tokens')
    .values({
      id: token.id,
      user_id: token.userId,
      name: token.name,
      token_hash: token.tokenHash,
      scopes: token.scopes,
      expires_at: token.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

export const findPersonalTokenByHash = (db: Db, tokenHash: string) =>
  db
    .selectFrom('personal_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();

export const listPersonalTokens = (db: Db, userId: string) =>
  db
    .selectFrom('personal_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();

/** Returns the revoked token's hash (its cache key), or undefined when there was none to revoke. */
export const revokePersonalToken = async (
  db: Db,
  { userId, id }: { userId: string; id: string },
) => {
  const row = await db
    .updateTable('personal_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('token_hash')
    .executeTakeFirst();
  return row?.token_hash;
};

/** Every live token of the account; returns the ids it revoked and their hashes (cache keys). */
export const revokeAllPersonalTokens = async (db: Db, userId: string) => {
  const rows = await db
    .updateTable('personal_tokens')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'token_hash'])
    .execute();
  return rows.map((row) => ({ id: row.id, tokenHash: row.token_hash }));
};

export const touchPersonalToken = (db: Db, id: string, now = new Date()) =>
  db
    .updateTable('personal_tokens')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<', new Date(now.getTime() - 60_000)),
      ]),
    )
    .execute();

/** Tokens that expired or were revoked before `endedBefore`; returns how many. */
export const deletePersonalTokensEndedBefore = async (
  db: Db,
  { endedBefore }: { endedBefore: Date },
) => {
  const result = await db
    .deleteFrom('personal_tokens')
    .where((eb) => eb.or([eb('expires_at', '<', endedBefore), eb('revoked_at', '<', endedBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
};
