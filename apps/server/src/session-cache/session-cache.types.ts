export type CachedSession = { userId: string; expiresAt: number };

/**
 * "Is this session still alive?" answered from cache for a few seconds, so not every request
 * costs a database read. Revocation deletes the entry (in Redis: for every process at once);
 * only positive answers are cached, so a revoked session is never served from here after that.
 */
export type SessionCache = {
  get(sessionId: string): Promise<CachedSession | undefined>;
  set(sessionId: string, value: CachedSession): Promise<void>;
  delete(sessionIds: string[]): Promise<void>;
};

export const SESSION_CACHE_SECONDS = 5;
