import Bowser from 'bowser';
import type { FastifyRequest } from 'fastify';
import type { RequestOrigin } from './security-events.repository.js';

export const SESSION_LIFETIME_DAYS = 30;
export const PERSONAL_TOKEN_PREFIX = 'mfp_';

/** A session nobody used for `idleSeconds` is over, whatever its absolute expiry says. */
export const isIdle = (lastSeenAt: Date, idleSeconds: number, now = new Date()) =>
  now.getTime() - lastSeenAt.getTime() > idleSeconds * 1000;

export const requestOrigin = (request: FastifyRequest): RequestOrigin => {
  const agent = request.headers['user-agent'];
  return {
    ip: request.ip || null,
    userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null,
  };
};

/** "Firefox on Linux", "Safari on iOS", or "Unknown device": what the sessions page shows. */
export const deviceLabel = (userAgent: string | null) => {
  if (!userAgent) return 'Unknown device';
  const parsed = Bowser.parse(userAgent);
  const browser = parsed.browser.name || undefined;
  const os = parsed.os.name || undefined;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? (userAgent.slice(0, 60) || 'Unknown device');
};

/** The refresh token names its session, so CSRF binding needs no database read. */
export const refreshTokenSessionId = (token: string) => {
  const [sessionId, secret] = token.split('.');
  return sessionId && secret && /^[0-9a-f-]{36}$/.test(sessionId) ? sessionId : undefined;
};
