import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { forbidden, insufficientScope, invalidToken, unauthenticated } from './auth.errors.js';

export type AuthScope = 'read' | 'write';

export type RequestAuth = {
  userId: string;
  sessionId: string | null;
  /** The personal token's id when `via` is `token`: its revocation closes what it opened. */
  tokenId: string | null;
  via: 'session' | 'token';
  scopes: ReadonlySet<AuthScope>;
  /** A token call's standing against its rate limit, sent back as `RateLimit-*` headers. */
  rateLimitHeaders?: Record<string, string>;
};

/** Resolves who is calling: Bearer personal token, else the access-token cookie. */
export type Authenticator = (request: FastifyRequest) => Promise<RequestAuth | null>;

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
  interface FastifyInstance {
    authenticator: Authenticator;
  }
}

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The scheme name is case-insensitive (RFC 9110 §11.1). */
export const hasBearer = (request: FastifyRequest) =>
  /^bearer\s/i.test(request.headers.authorization ?? '');

/**
 * preHandler: 401 unauthenticated when no valid session cookie / Bearer token; 403 forbidden
 * when a token lacks the scope. An unsafe method always needs `write`, whatever the route says.
 */
export const requireAuth =
  (scope: AuthScope): preHandlerAsyncHookHandler =>
  async (request, reply) => {
    const auth = request.auth ?? (await request.server.authenticator(request));
    if (!auth) throw hasBearer(request) ? invalidToken() : unauthenticated();
    request.auth = auth;
    if (auth.rateLimitHeaders) reply.headers(auth.rateLimitHeaders);
    const needed: AuthScope = SAFE_METHODS.has(request.method) ? scope : 'write';
    if (!auth.scopes.has(needed)) throw insufficientScope(needed);
  };

/** For handlers after requireAuth. */
export const getAuth = (request: FastifyRequest): RequestAuth => {
  if (!request.auth) throw unauthenticated();
  return request.auth;
};

/** Session-only operations (sessions, tokens, password): a script's token cannot do them. */
export const requireSession = (request: FastifyRequest) => {
  const auth = getAuth(request);
  if (auth.via !== 'session' || !auth.sessionId) {
    throw forbidden('Sign in with a browser session to do this; tokens cannot.');
  }
  return { ...auth, sessionId: auth.sessionId };
};
