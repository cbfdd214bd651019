import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { KeyRing } from '../../../keys/key-ring.models.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const AUDIENCE = 'myfile-api';
const TOKEN_TYPE = 'at+jwt';

export type AccessClaims = { userId: string; sessionId: string };

export const signAccessToken = async ({
  ring,
  issuer,
  claims,
  now = new Date(),
}: {
  ring: KeyRing;
  issuer: string;
  claims: AccessClaims;
  now?: Date;
}) => {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: 'EdDSA', kid: ring.current.kid, typ: TOKEN_TYPE })
    .setSubject(claims.userId)
    .setJti(randomUUID())
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ACCESS_TOKEN_TTL_SECONDS)
    .sign(ring.current.privateKey);
};

const keyFromRing =
  (ring: KeyRing): JWTVerifyGetKey =>
  (header) => {
    const key = header.kid ? ring.byKid(header.kid) : undefined;
    if (!key) throw new errors.JWKSNoMatchingKey();
    return key.publicKey;
  };

const toClaims = (payload: { sub?: unknown; sid?: unknown }): AccessClaims | undefined =>
  typeof payload.sub === 'string' && typeof payload.sid === 'string'
    ? { userId: payload.sub, sessionId: payload.sid }
    : undefined;

type VerifiedToken = { claims: AccessClaims; kid: string; exp: number; issuer: string };

/**
 * Tokens whose signature and claims already checked out, so one request's CSRF binding and
 * authentication, and the next requests carrying the same cookie, verify an Ed25519 signature
 * once rather than each time. Keyed by the whole token: any change to it misses. A hit still
 * checks the expiry, the issuer, and that the signing key has not left the ring. One per
 * process, held by the app context (not by this module), so tests and apps never share one.
 */
export type VerifiedAccessTokens = Map<string, VerifiedToken>;
export const createVerifiedAccessTokens = (): VerifiedAccessTokens => new Map();
const MAX_VERIFIED_TOKENS = 10_000;

const recallVerified = (
  verified: VerifiedAccessTokens,
  { ring, issuer, token }: { ring: KeyRing; issuer: string; token: string },
) => {
  const hit = verified.get(token);
  return hit && hit.issuer === issuer && ring.byKid(hit.kid) ? hit : undefined;
};

const rememberVerified = (
  verified: VerifiedAccessTokens,
  token: string,
  issuer: string,
  {
    payload,
    kid,
  }: {
    payload: { sub?: unknown; sid?: unknown; exp?: unknown; iat?: unknown; nbf?: unknown };
    kid?: string | undefined;
  },
) => {
  const claims = toClaims(payload);
  // Only what a hit can fully re-check: an expiry, an issue time, and no "not before".
  const recheckable =
    typeof payload.exp === 'number' && typeof payload.iat === 'number' && payload.nbf === undefined;
  if (!claims || !kid || !recheckable) return claims;
  if (verified.size >= MAX_VERIFIED_TOKENS) verified.clear();
  verified.set(token, { claims, kid, exp: payload.exp as number, issuer });
  return claims;
};

/**
 * The algorithm is pinned to EdDSA and the key chosen only by `kid` from our own ring, so
 * `alg: none`, an HS256 token keyed with a public key, or a foreign key are all refused.
 */
export const verifyAccessToken = async ({
  ring,
  issuer,
  token,
  verified,
  now = new Date(),
}: {
  ring: KeyRing;
  issuer: string;
  token: string;
  verified: VerifiedAccessTokens;
  now?: Date;
}): Promise<AccessClaims | undefined> => {
  const known = recallVerified(verified, { ring, issuer, token });
  // jose's rule: expired once `exp` is at or before the current second.
  if (known) return known.exp > Math.floor(now.getTime() / 1000) ? known.claims : undefined;
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keyFromRing(ring), {
      algorithms: ['EdDSA'],
      issuer,
      audience: AUDIENCE,
      typ: TOKEN_TYPE,
      currentDate: now,
      requiredClaims: ['sub', 'sid', 'exp', 'iat'],
    });
    return rememberVerified(verified, token, issuer, { payload, kid: protectedHeader.kid });
  } catch {
    return undefined;
  }
};

/**
 * The session an access token names, even if it has expired, as long as its signature is ours.
 * Used only to bind CSRF tokens (a page may post right after its access token lapsed).
 */
export const sessionIdOfSignedAccessToken = async ({
  ring,
  issuer,
  token,
  verified,
}: {
  ring: KeyRing;
  issuer: string;
  token: string;
  verified: VerifiedAccessTokens;
}): Promise<string | undefined> => {
  const known = recallVerified(verified, { ring, issuer, token });
  if (known) return known.claims.sessionId;
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keyFromRing(ring), {
      algorithms: ['EdDSA'],
      issuer,
      audience: AUDIENCE,
      typ: TOKEN_TYPE,
    });
    return rememberVerified(verified, token, issuer, { payload, kid: protectedHeader.kid })
      ?.sessionId;
  } catch (error) {
    if (error instanceof errors.JWTExpired) return toClaims(error.payload)?.sessionId;
    return undefined;
  }
};
