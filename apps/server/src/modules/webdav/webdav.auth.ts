import type { FastifyRequest } from 'fastify';
import { servesHttps } from '../../app/origins.js';
import type { AuthDeps } from '../auth/auth.deps.js';
import { AppError } from '../../app/app-error.js';
import { forbidden, rateLimited } from '../auth/auth.errors.js';
import { PER_IP } from '../auth/limits/auth.limits.js';
import type { AuthScope, RequestAuth } from '../auth/auth.hooks.js';
import { bearerTokenOf } from '../auth/auth.plugin.js';
import {
  authenticateAppPassword,
  authenticatePersonalToken,
} from '../auth/tokens/personal-tokens.usecases.js';
import { limitDavCall } from '../auth/tokens/token-rate-limit.js';

export const WWW_AUTHENTICATE = 'Basic realm="My File", charset="UTF-8"';

/** Methods that only read; every other one needs a token with the `write` scope. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PROPFIND']);

const BASIC = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i;

const unauthenticatedDav = (message: string) =>
  new AppError({
    code: 'unauthenticated',
    statusCode: 401,
    message,
    headers: { 'www-authenticate': WWW_AUTHENTICATE },
  });

/**
 * WebDAV clients send credentials on every request: HTTP Basic with the account email and a
 * personal access token (an app password; the account password is never accepted here), or a
 * Bearer token. Cookies are ignored, so a browser session cannot be ridden into /dav/.
 */
export const authenticateDav = async ({
  request,
  ...deps
}: AuthDeps & { request: FastifyRequest }): Promise<RequestAuth> => {
  const header = request.headers.authorization;
  if (!header) throw unauthenticatedDav('Sign in with your email and an app password.');
  if (servesHttps(deps.publicUrl) && request.protocol !== 'https') {
    throw forbidden('This server accepts WebDAV credentials over https only.');
  }
  // Wrong credentials from one address are limited as sign-ins are, whichever account they name.
  const ipKey = `dav-fail-ip:${request.ip}`;
  const ipFailures = await deps.counters.peek(ipKey);
  if (ipFailures.count >= PER_IP.login.max) throw rateLimited(ipFailures.retryAfterSeconds);
  const basic = BASIC.exec(header)?.[1];
  let found: { userId: string; tokenId: string; scopes: AuthScope[] } | undefined;
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    found =
      colon > 0
        ? await authenticateAppPassword({
            ...deps,
            email: decoded.slice(0, colon),
            token: decoded.slice(colon + 1),
          })
        : undefined;
  } else {
    const token = bearerTokenOf(header);
    found = token ? await authenticatePersonalToken({ ...deps, token }) : undefined;
  }
  const auth: RequestAuth | null = found
    ? {
        userId: found.userId,
        sessionId: null,
        tokenId: found.tokenId,
        via: 'token',
        scopes: new Set(found.scopes),
        // WebDAV has a budget of its own, per token (see limitDavCall).
        rateLimitHeaders: await limitDavCall({
          counters: deps.counters,
          tokenId: found.tokenId,
          perMinute: deps.davCallsPerMinute,
        }),
      }
    : null;
  if (!auth) {
    await deps.counters.hit(ipKey, PER_IP.login.timeWindow / 1000);
    throw unauthenticatedDav('The email or app password is incorrect.');
  }
  const needed: AuthScope = READ_METHODS.has(request.method) ? 'read' : 'write';
  if (!auth.scopes.has(needed)) throw forbidden(`This token does not have the "${needed}" scope.`);
  return auth;
};
