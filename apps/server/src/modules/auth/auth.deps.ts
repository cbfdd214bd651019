import type { Logger } from 'pino';
import type { AppContext } from '../../app/app-context.js';
import type { Db } from '../../db/database.js';
import type { EventBus } from '../../event-bus/event-bus.js';
import type { KeyRing } from '../../keys/key-ring.models.js';
import { emailKey } from './accounts/email.models.js';
import { cookiePolicy, type CookiePolicy } from './auth.cookies.js';
import type { VerifiedAccessTokens } from './sessions/access-token.models.js';
import { createMemoryRateCounter } from '../../rate-counter/drivers/memory/memory.rate-counter.js';
import { createRedisRateCounter } from '../../rate-counter/drivers/redis/redis.rate-counter.js';
import type { RateCounter } from '../../rate-counter/rate-counter.types.js';
import { createMemorySessionCache } from '../../session-cache/drivers/memory/memory.session-cache.js';
import { createRedisSessionCache } from '../../session-cache/drivers/redis/redis.session-cache.js';
import {
  parseCachedAccount,
  parseCachedSession,
  parseCachedToken,
  type AccountCache,
  type SessionCache,
  type TokenCache,
} from '../../session-cache/session-cache.types.js';
import { createTouchLimiter, type TouchLimiter } from './tokens/token-touch.js';

/** What the auth use cases need; built once per app from the context, overridable in tests. */
export type AuthDeps = {
  db: Db;
  ring: () => KeyRing;
  /** PUBLIC_URL: the JWT issuer, the allowed Origin and the base of links in mails. */
  publicUrl: string;
  mailEnabled: boolean;
  /** A session unused for longer than this ends (SESSION_IDLE_DAYS). */
  sessionIdleSeconds: number;
  cookies: CookiePolicy;
  counters: RateCounter;
  /** Requests per minute per personal token (TOKEN_RATE_LIMIT_PER_MINUTE). */
  tokenCallsPerMinute: number;
  /** WebDAV requests per minute per personal token (DAV_RATE_LIMIT_PER_MINUTE), a budget of its own. */
  davCallsPerMinute: number;
  /** Access tokens already verified by this process (see access-token.models.ts). */
  verifiedAccessTokens: VerifiedAccessTokens;
  sessionCache: SessionCache;
  /** Personal tokens, cached and revoked exactly like sessions (shared through Redis). */
  tokenCache: TokenCache;
  /**
   * What `/me` answers, so it needs no query; every change to those columns deletes the entry
   * after its commit (in Redis: for every process at once).
   */
  accountCache: AccountCache;
  /** Keeps `last_used_at` writes to one a minute per token in this process. */
  tokenTouches: TouchLimiter;
  /** Revocations are announced, so that session's open sockets close at once. */
  events: EventBus;
  logger: Logger;
  /** ADMIN_EMAILS, lower-cased: verified accounts at these addresses administer the instance. */
  adminEmails: ReadonlySet<string>;
};

export const createAuthDeps = (context: AppContext): AuthDeps => {
  const { config, redis } = context;
  const prefix = config.REDIS_KEY_PREFIX;
  return {
    db: context.database.db,
    ring: () => context.keys.current(),
    publicUrl: config.PUBLIC_URL,
    mailEnabled: Boolean(config.MAIL_URL),
    sessionIdleSeconds: config.SESSION_IDLE_DAYS * 86_400,
    cookies: cookiePolicy(config.PUBLIC_URL),
    tokenCallsPerMinute: config.TOKEN_RATE_LIMIT_PER_MINUTE,
    davCallsPerMinute: config.DAV_RATE_LIMIT_PER_MINUTE,
    counters: redis ? createRedisRateCounter(redis, `${prefix}count:`) : createMemoryRateCounter(),
    sessionCache: redis
      ? createRedisSessionCache(redis, `${prefix}session:`, parseCachedSession)
      : createMemorySessionCache(),
    tokenCache: redis
      ? createRedisSessionCache(redis, `${prefix}token:`, parseCachedToken)
      : createMemorySessionCache(),
    accountCache: redis
      ? createRedisSessionCache(redis, `${prefix}account:`, parseCachedAccount)
      : createMemorySessionCache(),
    tokenTouches: createTouchLimiter(),
    verifiedAccessTokens: context.verifiedAccessTokens,
    events: context.events,
    logger: context.logger.child({ module: 'auth' }),
    adminEmails: new Set(config.ADMIN_EMAILS.map(emailKey)),
  };
};
