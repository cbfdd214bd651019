import { uuidv7 } from 'uuidv7';
import { notFound } from '../../../app/app-error.js';
import type { AuthDeps } from '../auth.deps.js';
import { PERSONAL_TOKEN_PREFIX } from '../auth.models.js';
import type { PersonalTokenRow } from '../auth.tables.js';
import { randomSecret, sha256Hex } from '../secrets.models.js';
import { recordSecurityEvent, type RequestOrigin } from '../security-events.repository.js';
import {
  findPersonalTokenByHash,
  insertPersonalToken,
  listPersonalTokens,
  revokePersonalToken,
  touchPersonalToken,
} from './personal-tokens.repository.js';
import type { AuthScope } from '../auth.hooks.js';
import { rateLimited } from '../auth.errors.js';
import { emailKey } from '../accounts/email.models.js';
import { findUserById } from '../accounts/users.repository.js';
import { PER_ACCOUNT } from '../limits/auth.limits.js';

const toScopes = (scopes: readonly string[]) =>
  scopes.filter((scope): scope is AuthScope => scope === 'read' || scope === 'write');

const toView = (row: PersonalTokenRow) => ({
  id: row.id,
  name: row.name,
  scopes: toScopes(row.scopes),
  createdAt: row.created_at.toISOString(),
  expiresAt: row.expires_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
});

/** The token is returned here once; only its SHA-256 is kept. */
export const createPersonalToken = async ({
  userId,
  name,
  scopes,
  expiresInDays,
  origin,
  ...deps
}: AuthDeps & {
  userId: string;
  name: string;
  scopes: AuthScope[];
  expiresInDays: number;
  origin: RequestOrigin;
}) => {
  const token = `${PERSONAL_TOKEN_PREFIX}${randomSecret(32)}`;
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await insertPersonalToken(trx, {
      id: uuidv7(),
      userId,
      name,
      tokenHash: sha256Hex(token),
      scopes: [...new Set(scopes)].sort(),
      expiresAt: new Date(Date.now() + expiresInDays * 86_400_000),
    });
    await recordSecurityEvent(trx, {
      userId,
      type: 'token_created',
      origin,
      details: { tokenId: inserted.id, name, scopes: inserted.scopes },
    });
    return inserted;
  });
  return { ...toView(row), token };
};

export const listTokens = async ({ userId, ...deps }: AuthDeps & { userId: string }) =>
  (await listPersonalTokens(deps.db, userId)).map(toView);

/** Sockets the token opened close at once, on every instance (see events.stream.ts). */
export const revokeToken = async ({
  userId,
  tokenId,
  origin,
  ...deps
}: AuthDeps & { userId: string; tokenId: string; origin: RequestOrigin }) => {
  const tokenHash = await deps.db.transaction().execute(async (trx) => {
    const revoked = await revokePersonalToken(trx, { userId, id: tokenId });
    if (!revoked) throw notFound();
    await recordSecurityEvent(trx, { userId, type: 'token_revoked', origin, details: { tokenId } });
    return revoked;
  });
  // The cache is shared through Redis, so this refusal holds on every instance at once.
  await deps.tokenCache.delete([tokenHash]);
  deps.events.publish({ type: 'token.revoked', userId, tokenId, at: new Date().toISOString() });
};

/**
 * Cached for seconds like a session (revocation deletes the entry), and `last_used_at` is
 * written at most once a minute per token rather than on every call. The dependencies are taken
 * as they are, not spread into a new object: every Bearer request comes through here.
 */
export const authenticateToken = async (deps: AuthDeps, token: string) => {
  if (!token.startsWith(PERSONAL_TOKEN_PREFIX)) return undefined;
  const tokenHash = sha256Hex(token);
  const now = deps.tokenTouches.now();
  let found = await deps.tokenCache.get(tokenHash);
  if (!found) {
    const row = await findPersonalTokenByHash(deps.db, tokenHash);
    if (!row || row.revoked_at) return undefined;
    found = {
      userId: row.user_id,
      tokenId: row.id,
      scopes: toView(row).scopes,
      expiresAt: row.expires_at.getTime(),
    };
    if (found.expiresAt > now) await deps.tokenCache.set(tokenHash, found);
  }
  if (found.expiresAt <= now) return undefined;
  if (deps.tokenTouches.due(found.tokenId)) {
    await touchPersonalToken(deps.db, found.tokenId, new Date(now));
  }
  return { userId: found.userId, tokenId: found.tokenId, scopes: toScopes(found.scopes) };
};

export const authenticatePersonalToken = ({ token, ...deps }: AuthDeps & { token: string }) =>
  authenticateToken(deps, token);

/**
 * HTTP Basic for protocol clients (WebDAV): the account's email and one of its personal
 * tokens, never its password. Failures count against the address exactly like failed sign-ins
 * (same key, same budget), so guessing tokens here is no cheaper than guessing passwords there.
 */
export const authenticateAppPassword = async ({
  email,
  token,
  ...deps
}: AuthDeps & { email: string; token: string }) => {
  const failureKey = `login-fail:${emailKey(email)}`;
  const failures = await deps.counters.peek(failureKey);
  if (failures.count >= PER_ACCOUNT.failedLogins.max) {
    throw rateLimited(failures.retryAfterSeconds);
  }
  const found = await authenticatePersonalToken({ ...deps, token: token.slice(0, 256) });
  const user = found ? await findUserById(deps.db, found.userId) : undefined;
  if (!found || !user || emailKey(user.email) !== emailKey(email)) {
    await deps.counters.hit(failureKey, PER_ACCOUNT.failedLogins.windowSeconds);
    return undefined;
  }
  return found;
};
