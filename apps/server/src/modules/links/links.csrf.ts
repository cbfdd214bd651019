import type { FastifyRequest } from 'fastify';
import { readCookie } from '../auth/auth.cookies.js';
import type { AuthDeps } from '../auth/auth.deps.js';
import { csrfInvalid } from '../auth/auth.errors.js';
import { SAFE_METHODS } from '../auth/auth.hooks.js';
import { CSRF_HEADER, crossSiteReason, csrfBindings } from '../auth/csrf/csrf.hook.js';
import { verifyCsrfToken, type CsrfBinding } from '../auth/csrf/csrf.models.js';
import { allowedOrigins } from '../../app/origins.js';
import { grantCsrfBindingId } from './links.models.js';

/**
 * The app-wide CSRF rule for a link visitor's unsafe requests (unlock, drop-box upload): always
 * same-site by Fetch Metadata / Origin; and when the request carries any of our cookies (the
 * link's grant, or a signed-in visitor's session), an X-CSRF-Token bound to one of them. A link
 * without a password needs no cookie: its token in the URL is the credential, as a Bearer is.
 */
export const checkLinkCsrf = async ({
  request,
  grantCookie,
  ...deps
}: AuthDeps & { request: FastifyRequest; grantCookie: string }) => {
  if (SAFE_METHODS.has(request.method)) return;
  const crossSite = crossSiteReason(
    request,
    new Set(allowedOrigins(deps.publicUrl)),
    deps.publicUrl,
  );
  if (crossSite) throw csrfInvalid(crossSite);
  const names = deps.cookies.names;
  const grant = readCookie(request, grantCookie);
  const carriesCookie =
    grant !== undefined ||
    [names.access, names.refresh, names.preSession].some((name) => readCookie(request, name));
  if (!carriesCookie) return;
  const bindings: CsrfBinding[] = [
    ...(await csrfBindings({ ...deps, request })),
    ...(grant ? [{ kind: 'l' as const, id: grantCsrfBindingId(grant) }] : []),
  ];
  const header = request.headers[CSRF_HEADER];
  const token = typeof header === 'string' ? header : undefined;
  if (!token || !verifyCsrfToken(deps.ring(), token, bindings)) throw csrfInvalid();
};
