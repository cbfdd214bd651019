import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allowedOrigins, originMismatchMessage } from '../../../app/origins.js';
import { sessionIdOfSignedAccessToken } from '../sessions/access-token.models.js';
import type { AuthDeps } from '../auth.deps.js';
import { csrfInvalid } from '../auth.errors.js';
import { readCookie } from '../auth.cookies.js';
import { hasBearer, SAFE_METHODS } from '../auth.hooks.js';
import { refreshTokenSessionId } from '../auth.models.js';
import { verifyCsrfToken, type CsrfBinding } from './csrf.models.js';

export const CSRF_HEADER = 'x-csrf-token';

/** Everything in this request's own HttpOnly cookies a CSRF token may be bound to. */
export const csrfBindings = async ({
  request,
  ...deps
}: AuthDeps & { request: FastifyRequest }) => {
  const names = deps.cookies.names;
  const bindings: CsrfBinding[] = [];
  const access = readCookie(request, names.access);
  if (access) {
    const sessionId = await sessionIdOfSignedAccessToken({
      ring: deps.ring(),
      issuer: deps.publicUrl,
      token: access,
      verified: deps.verifiedAccessTokens,
    });
    if (sessionId) bindings.push({ kind: 's', id: sessionId });
  }
  const refresh = readCookie(request, names.refresh);
  const refreshSession = refresh ? refreshTokenSessionId(refresh) : undefined;
  if (refreshSession) bindings.push({ kind: 's', id: refreshSession });
  const preSession = readCookie(request, names.preSession);
  if (preSession) bindings.push({ kind: 'p', id: preSession });
  return bindings;
};

/** Where a share link's visitor acts: see links/links.csrf.ts. */
export const SHARE_LINK_ROUTES = '/api/s/';

/** These set session cookies from cookies or credentials: a Bearer header never excuses them. */
const COOKIE_ISSUING_ROUTES = new Set([
  '/api/auth/login',
  '/api/auth/register',
  '/api/auth/refresh',
]);

/**
 * Why this request is not from our own page, or undefined when it is. A page opened at an
 * address other than PUBLIC_URL is told which address to use instead.
 */
export const crossSiteReason = (
  request: FastifyRequest,
  allowed: ReadonlySet<string>,
  publicUrl: string,
) => {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return 'Cross-site requests are not allowed here.';
  }
  if (origin === undefined || allowed.has(origin)) return undefined;
  return /^https?:\/\//.test(origin)
    ? originMismatchMessage(origin, publicUrl)
    : 'Cross-site requests are not allowed here.';
};

/**
 * App-wide, so no route can forget it: every unsafe request that could ride on our cookies
 * (it carries one, or it is an auth route such as login, where login CSRF is the threat) must
 * be same-site by Fetch Metadata / Origin and carry a CSRF token bound to those cookies.
 * Bearer requests skip it: their credential is never sent by a browser on its own, and with
 * a Bearer header present cookies are ignored entirely.
 */
export const registerCsrfProtection = (app: FastifyInstance, deps: AuthDeps) => {
  const names = deps.cookies.names;
  const allowed = new Set(allowedOrigins(deps.publicUrl));
  const check = async (request: FastifyRequest) => {
    // The matched route pattern, not the raw URL: no encoding trick can step around it.
    const route = request.routeOptions.url ?? request.url.split('?')[0] ?? '';
    if (hasBearer(request) && !COOKIE_ISSUING_ROUTES.has(route)) return;
    // Share-link routes run the same check themselves, with the link's own cookie bound in too.
    if (route.startsWith(SHARE_LINK_ROUTES)) return;
    const carriesCookie = [names.access, names.refresh, names.preSession].some((name) =>
      readCookie(request, name),
    );
    if (!carriesCookie && !route.startsWith('/api/auth/')) return;
    const crossSite = crossSiteReason(request, allowed, deps.publicUrl);
    if (crossSite) throw csrfInvalid(crossSite);
    const header = request.headers[CSRF_HEADER];
    const token = typeof header === 'string' ? header : undefined;
    if (!token || !verifyCsrfToken(deps.ring(), token, await csrfBindings({ ...deps, request }))) {
      throw csrfInvalid();
    }
  };
  // A callback hook: a safe method (most requests) passes at once, with no promise made for it.
  app.addHook('onRequest', (request, _reply, done) => {
    if (SAFE_METHODS.has(request.method)) {
      done();
      return;
    }
    check(request).then(
      () => done(),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  });
};
