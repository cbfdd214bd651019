import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS_TOKEN_TTL_SECONDS } from './sessions/access-token.models.js';

export type CookieNames = {
  access: string;
  refresh: string;
  preSession: string;
  device: string;
};

export type CookiePolicy = { secure: boolean; names: CookieNames };

/**
 * Under https: `__Host-` for the access cookie (Secure, Path=/, no Domain: it cannot be planted
 * by a sibling subdomain). The others are scoped to the auth routes, which `__Host-` forbids, so
 * they take `__Secure-`. Over plain http (local use) browsers refuse both prefixes.
 */
export const cookiePolicy = (publicUrl: string): CookiePolicy => {
  const secure = publicUrl.startsWith('https://');
  return {
    secure,
    names: secure
      ? {
          access: '__Host-mf_access',
          refresh: '__Secure-mf_refresh',
          preSession: '__Secure-mf_pre',
          device: '__Secure-mf_device',
        }
      : { access: 'mf_access', refresh: 'mf_refresh', preSession: 'mf_pre', device: 'mf_device' },
  };
};

const PATHS = {
  access: (secure: boolean) => (secure ? '/' : '/api'),
  refresh: '/api/auth',
  preSession: '/api/auth',
  device: '/api/auth/login',
};

const base = (policy: CookiePolicy) =>
  ({ httpOnly: true, secure: policy.secure, sameSite: 'lax' }) as const;

export const setAccessCookie = (reply: FastifyReply, policy: CookiePolicy, token: string) =>
  reply.setCookie(policy.names.access, token, {
    ...base(policy),
    path: PATHS.access(policy.secure),
    maxAge: ACCESS_TOKEN_TTL_SECONDS,
  });

export const setRefreshCookie = (
  reply: FastifyReply,
  policy: CookiePolicy,
  token: string,
  expiresAt: Date,
) =>
  reply.setCookie(policy.names.refresh, token, {
    ...base(policy),
    path: PATHS.refresh,
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
  });

export const setPreSessionCookie = (reply: FastifyReply, policy: CookiePolicy, nonce: string) =>
  reply.setCookie(policy.names.preSession, nonce, {
    ...base(policy),
    path: PATHS.preSession,
    maxAge: 24 * 3600,
  });

export const setDeviceCookie = (reply: FastifyReply, policy: CookiePolicy, value: string) =>
  reply.setCookie(policy.names.device, value, {
    ...base(policy),
    path: PATHS.device,
    maxAge: 365 * 24 * 3600,
  });

export const clearSessionCookies = (reply: FastifyReply, policy: CookiePolicy) => {
  reply.clearCookie(policy.names.access, { ...base(policy), path: PATHS.access(policy.secure) });
  reply.clearCookie(policy.names.refresh, { ...base(policy), path: PATHS.refresh });
};

export const readCookie = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.cookies[name];
  return value ? value : undefined;
};
