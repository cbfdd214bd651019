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

const toView = (row: PersonalTokenRow) => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes.filter((scope): scope is AuthScope => scope === 'read' || scope === 'write'),
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
  await deps.db.transaction().execute(async (trx) => {
    if (!(await revokePersonalToken(trx, { userId, id: tokenId }))) throw notFound();
    await recordSecurityEvent(trx, { userId, type: 'token_revoked', origin, details: { tokenId } });
  });
  deps.events.publish({ type: 'token.revoked', userId, tokenId, at: new Date().toISOString() });
};

export const authenticatePersonalToken = async ({
  token,
  ...deps
}: AuthDeps & { token: string }) => {
  if (!token.startsWith(PERSONAL_TOKEN_PREFIX)) return undefined;
  const row = await findPersonalTokenByHash(deps.db, sha256Hex(token));
  if (!row || row.revoked_at || row.expires_at <= new Date()) return undefined;
  await touchPersonalToken(deps.db, row.id);
  return { userId: row.user_id, tokenId: row.id, scopes: toView(row).scopes };
};
