import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { AuthDeps } from './auth.deps.js';
import { rateLimited } from './auth.errors.js';
import { readCookie } from './auth.cookies.js';
import type { Authenticator, AuthScope } from './auth.hooks.js';
import { registerCsrfProtection } from './csrf/csrf.hook.js';
import { authenticateToken } from './tokens/personal-tokens.usecases.js';
import { limitTokenCall } from './tokens/token-rate-limit.js';
import { authenticateAccessToken } from './sessions/sessions.usecases.js';

// RFC 9110 §11.1: the scheme name is case-insensitive (`bearer` is as good as `Bearer`).
const BEARER = /^Bearer +([A-Za-z0-9_-]{20,200}) *$/i;

/** The token of an `Authorization: Bearer …` header, if it is one. */
export const bearerTokenOf = (header: string) => BEARER.exec(header)?.[1];

/** One set per scope list, made once: the request path only reads them. */
const SESSION_SCOPES: ReadonlySet<AuthScope> = new Set(['read', 'write']);
const TOKEN_SCOPES = new Map<string, ReadonlySet<AuthScope>>();
const scopeSet = (scopes: readonly AuthScope[]) => {
  const key = scopes.join(' ');
  let set = TOKEN_SCOPES.get(key);
  if (!set) {
    set = new Set(scopes);
    // Scopes come from a fixed list, so there are few keys; the bound is only a guard.
    if (TOKEN_SCOPES.size < 16) TOKEN_SCOPES.set(key, set);
  }
  return set;
};

/**
 * A Bearer header means "token auth only": cookies are then ignored, and a cookie's value is
 * never accepted as a Bearer token (access tokens are JWTs, personal tokens are not).
 */
export const createAuthenticator =
  (deps: AuthDeps): Authenticator =>
  async (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const token = bearerTokenOf(header);
      const found = token ? await authenticateToken(deps, token) : undefined;
      if (!found) return null;
      const rateLimitHeaders = await limitTokenCall({
        counters: deps.counters,
        tokenId: found.tokenId,
        perMinute: deps.tokenCallsPerMinute,
      });
      return {
        userId: found.userId,
        sessionId: null,
        tokenId: found.tokenId,
        via: 'token',
        scopes: scopeSet(found.scopes),
        rateLimitHeaders,
      };
    }
    const access = readCookie(request, deps.cookies.names.access);
    if (!access) return null;
    const claims = await authenticateAccessToken({
      ...deps,
      token: access,
      ip: request.ip || null,
    });
    return claims
      ? {
          userId: claims.userId,
          sessionId: claims.sessionId,
          tokenId: null,
          via: 'session',
          scopes: SESSION_SCOPES,
        }
      : null;
  };

/** Root-level: cookies, rate limiting, the CSRF hook and `requireAuth`'s authenticator. */
export const registerAuth = async (
  app: FastifyInstance,
  { deps, redis, redisPrefix }: { deps: AuthDeps; redis: Redis | null; redisPrefix: string },
) => {
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: `${redisPrefix}rl:` } : {}),
    errorResponseBuilder: (_request, context) => rateLimited(Math.ceil(context.ttl / 1000)),
  });
  app.decorateRequest('auth', null);
  app.decorate('authenticator', createAuthenticator(deps));
  registerCsrfProtection(app, deps);
};
