import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { KeyRing } from '../../keys/key-ring.models.js';

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

/**
 * The algorithm is pinned to EdDSA and the key chosen only by `kid` from our own ring, so
 * `alg: none`, an HS256 token keyed with a public key, or a foreign key are all refused.
 */
export const verifyAccessToken = async ({
  ring,
  issuer,
  token,
  now = new Date(),
}: {
  ring: KeyRing;
  issuer: string;
  token: string;
  now?: Date;
}): Promise<AccessClaims | undefined> => {
  try {
    const { payload } = await jwtVerify(token, keyFromRing(ring), {
      algorithms: ['EdDSA'],
      issuer,
      audience: AUDIENCE,
      typ: TOKEN_TYPE,
      currentDate: now,
      requiredClaims: ['sub', 'sid', 'exp', 'iat'],
    });
    return toClaims(payload);
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
}: {
  ring: KeyRing;
  issuer: string;
  token: string;
}): Promise<string | undefined> => {
  try {
    const { payload } = await jwtVerify(token, keyFromRing(ring), {
      algorithms: ['EdDSA'],
      issuer,
      audience: AUDIENCE,
      typ: TOKEN_TYPE,
    });
    return toClaims(payload)?.sessionId;
  } catch (error) {
    if (error instanceof errors.JWTExpired) return toClaims(error.payload)?.sessionId;
    return undefined;
  }
};
