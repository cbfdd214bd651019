export type CachedSession = { userId: string; expiresAt: number };

/** A personal token (Bearer or app password), keyed by its SHA-256, never by the token itself. */
export type CachedToken = {
  userId: string;
  tokenId: string;
  scopes: string[];
  expiresAt: number;
};

/**
 * "Is this session (or personal token) still alive?" answered from cache for a few seconds,
 * so not every request costs a database read. Revocation deletes the entry (in Redis: for
 * every process at once); only positive answers are cached, so a revoked session is never
 * served from here after that.
 */
export type SessionCache<V = CachedSession> = {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V): Promise<void>;
  delete(keys: string[]): Promise<void>;
};

export type TokenCache = SessionCache<CachedToken>;

/** What `GET /api/auth/me` answers from, keyed by the user's id; every change to it deletes it. */
export type CachedAccount = {
  id: string;
  email: string;
  role: 'admin' | 'user';
  /** Timestamps as ISO text: JSON (Redis) keeps no dates. */
  emailVerifiedAt: string | null;
  deletedAt: string | null;
  createdAt: string;
};
export type AccountCache = SessionCache<CachedAccount>;

export const SESSION_CACHE_SECONDS = 5;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Entries written by another version of the code read as a miss, never as a wrong answer. */
export const parseCachedSession = (value: unknown): CachedSession | undefined =>
  isRecord(value) && typeof value.userId === 'string' && typeof value.expiresAt === 'number'
    ? { userId: value.userId, expiresAt: value.expiresAt }
    : undefined;

export const parseCachedToken = (value: unknown): CachedToken | undefined =>
  isRecord(value) &&
  typeof value.userId === 'string' &&
  typeof value.tokenId === 'string' &&
  typeof value.expiresAt === 'number' &&
  Array.isArray(value.scopes) &&
  value.scopes.every((scope) => typeof scope === 'string')
    ? {
        userId: value.userId,
        tokenId: value.tokenId,
        scopes: value.scopes,
        expiresAt: value.expiresAt,
      }
    : undefined;

const isTextOrNull = (value: unknown): value is string | null =>
  value === null || typeof value === 'string';

export const parseCachedAccount = (value: unknown): CachedAccount | undefined =>
  isRecord(value) &&
  typeof value.id === 'string' &&
  typeof value.email === 'string' &&
  (value.role === 'admin' || value.role === 'user') &&
  isTextOrNull(value.emailVerifiedAt) &&
  isTextOrNull(value.deletedAt) &&
  typeof value.createdAt === 'string'
    ? {
        id: value.id,
        email: value.email,
        role: value.role,
        emailVerifiedAt: value.emailVerifiedAt,
        deletedAt: value.deletedAt,
        createdAt: value.createdAt,
      }
    : undefined;
