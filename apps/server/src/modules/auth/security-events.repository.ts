import { uuidv7 } from 'uuidv7';
import type { Db } from '../../db/database.js';

export type SecurityEventType =
  | 'sign_in'
  | 'sign_in_failed'
  | 'sign_out'
  | 'refresh_reuse'
  | 'password_changed'
  | 'password_reset'
  | 'password_reset_requested'
  | 'email_verified'
  | 'session_revoked'
  | 'token_created'
  | 'token_revoked'
  | 'reauthenticated'
  | 'two_factor_enabled'
  | 'two_factor_disabled'
  | 'second_factor_failed'
  | 'recovery_code_used'
  | 'recovery_codes_regenerated'
  | 'passkey_added'
  | 'passkey_renamed'
  | 'passkey_removed'
  | 'passkey_failed'
  | 'sso_linked'
  // What an administrator did, in the administrator's log (details name the account)…
  | 'admin_action'
  // …and in the account's own.
  | 'quota_changed'
  | 'account_disabled'
  | 'account_enabled'
  | 'password_reset_forced'
  // Account lifecycle, by the owner.
  | 'email_change_requested'
  | 'email_changed'
  | 'account_deleted'
  | 'sso_unlinked';

export type RequestOrigin = { ip: string | null; userAgent: string | null };

export const recordSecurityEvent = (
  db: Db,
  event: {
    userId: string;
    type: SecurityEventType;
    sessionId?: string | null;
    origin: RequestOrigin;
    details?: Record<string, unknown>;
  },
) =>
  db
    .insertInto('security_events')
    .values({
      id: uuidv7(),
      user_id: event.userId,
      type: event.type,
      session_id: event.sessionId ?? null,
      ip: event.origin.ip,
      user_agent: event.origin.userAgent,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();

/** Newest first, keyset-paginated on the time-ordered id. */
export const listSecurityEvents = (
  db: Db,
  { userId, before, limit }: { userId: string; before?: string; limit: number },
) => {
  let query = db
    .selectFrom('security_events')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit);
  if (before) query = query.where('id', '<', before);
  return query.execute();
};

export const insertUsedLink = async (
  db: Db,
  link: { jti: string; purpose: string; expiresAt: Date },
) => {
  const inserted = await db
    .insertInto('used_links')
    .values({ jti: link.jti, purpose: link.purpose, expires_at: link.expiresAt })
    .onConflict((conflict) => conflict.column('jti').doNothing())
    .returning('jti')
    .executeTakeFirst();
  return inserted !== undefined;
};

export const deleteSecurityEventsBefore = async (db: Db, { before }: { before: Date }) => {
  const result = await db
    .deleteFrom('security_events')
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
};

/** A used link only needs remembering until it would have expired anyway. */
export const deleteExpiredUsedLinks = async (db: Db, { now }: { now: Date }) => {
  const result = await db.deleteFrom('used_links').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
};
