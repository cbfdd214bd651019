import type { FastifyReply } from 'fastify';
import { issueDeviceCookieValue, type SignedInSession } from './accounts/accounts.usecases.js';
import { setAccessCookie, setDeviceCookie, setRefreshCookie } from './auth.cookies.js';
import type { AuthDeps } from './auth.deps.js';
import type { IssuedSession } from './sessions/sessions.usecases.js';

export const setSessionCookies = (reply: FastifyReply, deps: AuthDeps, session: IssuedSession) => {
  setAccessCookie(reply, deps.cookies, session.accessToken);
  if (session.refresh) {
    setRefreshCookie(reply, deps.cookies, session.refresh.token, session.refresh.expiresAt);
  }
};

/** The cookies and body of a finished sign-in, whichever way it was made. */
export const replySignedIn = (reply: FastifyReply, deps: AuthDeps, session: SignedInSession) => {
  setSessionCookies(reply, deps, session);
  setDeviceCookie(reply, deps.cookies, issueDeviceCookieValue({ ...deps, email: session.email }));
  return {
    status: 'signed_in' as const,
    user: { id: session.userId, email: session.email },
    csrfToken: session.csrfToken,
  };
};
