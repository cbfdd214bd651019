import type { Db } from '../../../db/database.js';

export const insertSession = (
  db: Db,
  session: {
    id: string;
    userId: string;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
    device: string;
  },
) =>
  db
    .insertInto('sessions')
    .values({
      id: session.id,
      user_id: session.userId,
      expires_at: session.expiresAt,
      ip: session.ip,
      user_agent: session.userAgent,
      device: session.device,
    })
    .execute();

export const findSessionById = (db: Db, id: string) =>
  db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();

export const listActiveSessions = (
  db: Db,
  { userId, idleSeconds, now = new Date() }: { userId: string; idleSeconds: number; now?: Date },
) =>
  db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>=', new Date(now.getTime() - idleSeconds * 1000))
    .orderBy('last_seen_at', 'desc')
    .execute();

/** Returns the ids it revoked, so the caller can drop them from the session cache. */
export const revokeSessions = async (
  db: Db,
  {
    userId,
    sessionId,
    exceptSessionId,
    reason,
  }: { userId: string; sessionId?: string; exceptSessionId?: string; reason: string },
) => {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (sessionId) query = query.where('id', '=', sessionId);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  const rows = await query.returning('id').execute();
  return rows.map((row) => row.id);
};

/** Written at most once a minute per session: "last seen" need not cost a write per request. */
export const touchSession = (
  db: Db,
  { id, ip, now = new Date() }: { id: string; ip: string | null; now?: Date },
) =>
  db
    .updateTable('sessions')
    .set({ last_seen_at: now, ip })
    .where('id', '=', id)
    .where('last_seen_at', '<', new Date(now.getTime() - 60_000))
    .execute();

export const insertRefreshToken = (
  db: Db,
  token: { id: string; sessionId: string; tokenHash: string },
) =>
  db
    .insertInto('refresh_tokens')
    .values({ id: token.id, session_id: token.sessionId, token_hash: token.tokenHash })
    .execute();

export const findRefreshTokenByHash = (db: Db, tokenHash: string) =>
  db
    .selectFrom('refresh_tokens')
    .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
    .select([
      'refresh_tokens.id',
      'refresh_tokens.session_id',
      'refresh_tokens.rotated_at',
      'sessions.user_id',
      'sessions.expires_at',
      'sessions.revoked_at',
      'sessions.last_seen_at',
    ])
    .where('refresh_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();

/** Atomic: of two concurrent refreshes with one token, exactly one wins the rotation. */
export const markRefreshTokenRotated = async (db: Db, id: string) => {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ rotated_at: new Date() })
    .where('id', '=', id)
    .where('rotated_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
};

/** The newest token of the family: the only one a client should still hold. */
export const findNewestRefreshTokenId = async (db: Db, sessionId: string) =>
  (
    await db
      .selectFrom('refresh_tokens')
      .select('id')
      .where('session_id', '=', sessionId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
  )?.id;

/** True when `tokenId` is the token right before `newestId` in its session's family. */
export const isImmediatePredecessorToken = async (
  db: Db,
  { tokenId, newestId }: { tokenId: string; newestId: string },
) => {
  const rows = await db
    .selectFrom('refresh_tokens')
    .select('id')
    .where('session_id', '=', (eb) =>
      eb.selectFrom('refresh_tokens').select('session_id').where('id', '=', newestId),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(2)
    .execute();
  return rows[1]?.id === tokenId;
};

/** Sessions that expired or were revoked before `endedBefore`; returns how many. */
export const deleteSessionsEndedBefore = async (db: Db, { endedBefore }: { endedBefore: Date }) => {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', endedBefore), eb('revoked_at', '<', endedBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
};
