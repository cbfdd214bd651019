import { uuidv7 } from 'uuidv7';
import type { Db } from '../../../db/database.js';
import {
  sessionIdOfSignedAccessToken,
  signAccessToken,
  verifyAccessToken,
} from './access-token.models.js';
import type { AuthDeps } from '../auth.deps.js';
import { accountDisabled, rateLimited, unauthenticated } from '../auth.errors.js';
import { lockAccountForSignIn } from '../accounts/users.repository.js';
import { PER_ACCOUNT } from '../limits/auth.limits.js';
import {
  deviceLabel,
  isIdle,
  refreshTokenSessionId,
  SESSION_LIFETIME_DAYS,
} from '../auth.models.js';
import { issueCsrfToken } from '../csrf/csrf.models.js';
import { randomSecret, sha256Hex } from '../secrets.models.js';
import { recordSecurityEvent, type RequestOrigin } from '../security-events.repository.js';
import {
  findNewestRefreshTokenId,
  findRefreshTokenByHash,
  findSessionById,
  insertRefreshToken,
  insertSession,
  isImmediatePredecessorToken,
  listActiveSessions,
  markRefreshTokenRotated,
  revokeSessions,
  touchSession,
} from './sessions.repository.js';
import { revokeAllPersonalTokens } from '../tokens/personal-tokens.repository.js';

/** What a sign-in hands the route: tokens go to cookies only, the CSRF token to the body. */
export type IssuedSession = {
  userId: string;
  sessionId: string;
  accessToken: string;
  refresh: { token: string; expiresAt: Date } | null;
  csrfToken: string;
};

/**
 * Two refreshes racing with the same token (two tabs, a retried request) are not an attack:
 * the loser, within this window and holding the immediate predecessor of the newest token,
 * gets a fresh access token and keeps the refresh cookie the winner set. Anything else is reuse.
 */
export const REFRESH_GRACE_SECONDS = 10;

const newRefreshToken = (sessionId: string) => `${sessionId}.${randomSecret(32)}`;

export const startSession = async ({
  db,
  userId,
  origin,
  ...deps
}: AuthDeps & { db: Db; userId: string; origin: RequestOrigin }): Promise<IssuedSession> => {
  // Every way in ends here. The row lock waits for a disable being committed, whose
  // revocation would otherwise miss the session inserted next.
  const account = await lockAccountForSignIn(db, userId);
  if (!account || account.disabled_at || account.deleted_at) throw accountDisabled();
  const sessionId = uuidv7();
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_DAYS * 86_400_000);
  await insertSession(db, {
    id: sessionId,
    userId,
    expiresAt,
    ip: origin.ip,
    userAgent: origin.userAgent,
    device: deviceLabel(origin.userAgent),
  });
  const token = newRefreshToken(sessionId);
  await insertRefreshToken(db, { id: uuidv7(), sessionId, tokenHash: sha256Hex(token) });
  return {
    userId,
    sessionId,
    accessToken: await signAccessToken({
      ring: deps.ring(),
      issuer: deps.publicUrl,
      claims: { userId, sessionId },
    }),
    refresh: { token, expiresAt },
    csrfToken: issueCsrfToken(deps.ring(), { kind: 's', id: sessionId }),
  };
};

type RevokeArgs = { userId: string; sessionId?: string; exceptSessionId?: string; reason: string };

type Revokers = {
  /** Ends sessions; returns the ids it ended. */
  revoke: (args: RevokeArgs) => Promise<string[]>;
  /** Revokes every personal token of the account; returns the ids it revoked. */
  revokeTokens: (userId: string) => Promise<string[]>;
};

/**
 * Runs `work` in a transaction. Sessions it revokes leave the session cache after the commit
 * (not before), so a request racing the commit cannot re-cache them as alive; after the commit,
 * every revoked session and token is announced, so the sockets they opened close at once.
 */
export const revokingTransaction = async <T>({
  work,
  ...deps
}: AuthDeps & {
  work: (trx: Db, revoke: Revokers['revoke'], revokeTokens: Revokers['revokeTokens']) => Promise<T>;
}): Promise<T> => {
  const revoked: { userId: string; sessionId: string }[] = [];
  const revokedTokens: { userId: string; tokenId: string; tokenHash: string }[] = [];
  let committed = false;
  try {
    const result = await deps.db.transaction().execute((trx) =>
      work(
        trx,
        async (args) => {
          const ids = await revokeSessions(trx, args);
          revoked.push(...ids.map((sessionId) => ({ userId: args.userId, sessionId })));
          return ids;
        },
        async (userId) => {
          const tokens = await revokeAllPersonalTokens(trx, userId);
          revokedTokens.push(
            ...tokens.map(({ id, tokenHash }) => ({ userId, tokenId: id, tokenHash })),
          );
          return tokens.map(({ id }) => id);
        },
      ),
    );
    committed = true;
    return result;
  } finally {
    if (revoked.length) await deps.sessionCache.delete(revoked.map((entry) => entry.sessionId));
    if (revokedTokens.length) {
      await deps.tokenCache.delete(revokedTokens.map((entry) => entry.tokenHash));
    }
    if (committed) {
      const at = new Date().toISOString();
      for (const { userId, sessionId } of revoked) {
        deps.events.publish({ type: 'session.revoked', userId, sessionId, at });
      }
      for (const { userId, tokenId } of revokedTokens) {
        deps.events.publish({ type: 'token.revoked', userId, tokenId, at });
      }
    }
  }
};

export const refreshSession = async ({
  refreshToken,
  origin,
  ...deps
}: AuthDeps & {
  refreshToken: string | undefined;
  origin: RequestOrigin;
}): Promise<IssuedSession> => {
  if (!refreshToken || !refreshTokenSessionId(refreshToken)) throw unauthenticated();
  const found = await findRefreshTokenByHash(deps.db, sha256Hex(refreshToken));
  if (!found || found.revoked_at || found.expires_at <= new Date()) throw unauthenticated();
  const { session_id: sessionId, user_id: userId } = found;
  if (isIdle(found.last_seen_at, deps.sessionIdleSeconds)) {
    await revokingTransaction({
      ...deps,
      work: (_trx, revoke) => revoke({ userId, sessionId, reason: 'idle' }),
    });
    throw unauthenticated('This session ended after a long time unused; sign in again.');
  }
  const refreshes = await deps.counters.hit(
    `refresh:${sessionId}`,
    PER_ACCOUNT.refresh.windowSeconds,
  );
  if (refreshes.count > PER_ACCOUNT.refresh.max) throw rateLimited(refreshes.retryAfterSeconds);

  const rotated = await deps.db.transaction().execute(async (trx) => {
    if (await markRefreshTokenRotated(trx, found.id)) {
      const token = newRefreshToken(sessionId);
      await insertRefreshToken(trx, { id: uuidv7(), sessionId, tokenHash: sha256Hex(token) });
      return { token, expiresAt: found.expires_at };
    }
    return null;
  });

  if (!rotated) {
    const current = await findRefreshTokenByHash(deps.db, sha256Hex(refreshToken));
    const rotatedAt = current?.rotated_at?.getTime() ?? 0;
    const newest = await findNewestRefreshTokenId(deps.db, sessionId);
    const predecessorOfNewest =
      newest !== undefined &&
      newest !== found.id &&
      (await isImmediatePredecessorToken(deps.db, { tokenId: found.id, newestId: newest }));
    const withinGrace = Date.now() - rotatedAt <= REFRESH_GRACE_SECONDS * 1000;
    if (!(predecessorOfNewest && withinGrace)) {
      await revokingTransaction({
        ...deps,
        work: async (trx, revoke) => {
          await revoke({ userId, sessionId, reason: 'refresh_reuse' });
          await recordSecurityEvent(trx, {
            userId,
            type: 'refresh_reuse',
            sessionId,
            origin,
            details: {
              reason: 'A rotated refresh token was presented again; the session was ended.',
            },
          });
        },
      });
      deps.logger.warn({ userId, sessionId }, 'refresh token reuse: session family revoked');
      throw unauthenticated('This session has ended; sign in again.');
    }
  }

  await touchSession(deps.db, { id: sessionId, ip: origin.ip });
  return {
    userId,
    sessionId,
    accessToken: await signAccessToken({
      ring: deps.ring(),
      issuer: deps.publicUrl,
      claims: { userId, sessionId },
    }),
    refresh: rotated,
    csrfToken: issueCsrfToken(deps.ring(), { kind: 's', id: sessionId }),
  };
};

/** The token rotated right before the newest one: created just before it in the family. */
/** Is the session an access token names still alive? Cached for seconds, never longer. */
export const authenticateAccessToken = async ({
  token,
  ip,
  ...deps
}: AuthDeps & { token: string; ip: string | null }) => {
  const claims = await verifyAccessToken({
    ring: deps.ring(),
    issuer: deps.publicUrl,
    token,
    verified: deps.verifiedAccessTokens,
  });
  if (!claims) return undefined;
  const cached = await deps.sessionCache.get(claims.sessionId);
  if (cached) {
    return cached.userId === claims.userId && cached.expiresAt > Date.now() ? claims : undefined;
  }
  const session = await findSessionById(deps.db, claims.sessionId);
  if (!session || session.revoked_at || session.expires_at <= new Date()) return undefined;
  if (session.user_id !== claims.userId) return undefined;
  if (isIdle(session.last_seen_at, deps.sessionIdleSeconds)) return undefined;
  await deps.sessionCache.set(session.id, {
    userId: session.user_id,
    expiresAt: session.expires_at.getTime(),
  });
  await touchSession(deps.db, { id: session.id, ip });
  return claims;
};

/**
 * Ends the session the caller proves it holds: a refresh token whose secret matches, or a
 * correctly signed access token (even expired). A session id alone (`<sid>.anything` in the
 * refresh cookie) proves nothing and ends nothing.
 */
export const signOut = async ({
  refreshToken,
  accessToken,
  origin,
  ...deps
}: AuthDeps & {
  refreshToken: string | undefined;
  accessToken: string | undefined;
  origin: RequestOrigin;
}) => {
  const byRefresh =
    refreshToken && refreshTokenSessionId(refreshToken)
      ? (await findRefreshTokenByHash(deps.db, sha256Hex(refreshToken)))?.session_id
      : undefined;
  const sessionId =
    byRefresh ??
    (accessToken
      ? await sessionIdOfSignedAccessToken({
          ring: deps.ring(),
          issuer: deps.publicUrl,
          token: accessToken,
          verified: deps.verifiedAccessTokens,
        })
      : undefined);
  if (!sessionId) return;
  const session = await findSessionById(deps.db, sessionId);
  if (!session) return;
  await revokingTransaction({
    ...deps,
    work: async (trx, revoke) => {
      const revoked = await revoke({ userId: session.user_id, sessionId, reason: 'signed_out' });
      if (revoked.length) {
        await recordSecurityEvent(trx, {
          userId: session.user_id,
          type: 'sign_out',
          sessionId,
          origin,
        });
      }
    },
  });
};

export const listSessions = async ({
  userId,
  currentSessionId,
  ...deps
}: AuthDeps & { userId: string; currentSessionId: string | null }) =>
  (await listActiveSessions(deps.db, { userId, idleSeconds: deps.sessionIdleSeconds })).map(
    (session) => ({
      id: session.id,
      device: session.device,
      ip: session.ip,
      createdAt: session.created_at.toISOString(),
      lastSeenAt: session.last_seen_at.toISOString(),
      expiresAt: session.expires_at.toISOString(),
      current: session.id === currentSessionId,
    }),
  );

/** Another user's session id is answered exactly like one that does not exist. */
export const revokeSession = async ({
  userId,
  sessionId,
  origin,
  currentSessionId,
  ...deps
}: AuthDeps & {
  userId: string;
  sessionId: string;
  origin: RequestOrigin;
  currentSessionId: string | null;
}) =>
  revokingTransaction({
    ...deps,
    work: async (trx, revoke) => {
      const revoked = await revoke({ userId, sessionId, reason: 'revoked' });
      if (!revoked.length) return false;
      await recordSecurityEvent(trx, {
        userId,
        type: 'session_revoked',
        sessionId: currentSessionId,
        origin,
        details: { revokedSessionId: sessionId },
      });
      return true;
    },
  });

/** "Sign out everywhere else"; with `includeTokens`, every personal token is revoked too. */
export const revokeOtherSessions = async ({
  userId,
  currentSessionId,
  includeTokens,
  origin,
  ...deps
}: AuthDeps & {
  userId: string;
  currentSessionId: string;
  includeTokens: boolean;
  origin: RequestOrigin;
}) =>
  revokingTransaction({
    ...deps,
    work: async (trx, revoke, revokeTokens) => {
      const revoked = await revoke({
        userId,
        exceptSessionId: currentSessionId,
        reason: 'revoked',
      });
      const tokens = includeTokens ? await revokeTokens(userId) : [];
      if (revoked.length) {
        await recordSecurityEvent(trx, {
          userId,
          type: 'session_revoked',
          sessionId: currentSessionId,
          origin,
          details: { revokedSessionIds: revoked },
        });
      }
      if (tokens.length) {
        await recordSecurityEvent(trx, {
          userId,
          type: 'token_revoked',
          sessionId: currentSessionId,
          origin,
          details: { tokenIds: tokens },
        });
      }
      return { revoked: revoked.length, revokedTokens: tokens.length };
    },
  });
