import { describe, expect, test } from 'vitest';
import { createKeyRingDocument, toKeyRing } from '../../../keys/key-ring.models.js';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  createVerifiedAccessTokens,
  sessionIdOfSignedAccessToken,
  signAccessToken,
  verifyAccessToken,
} from './access-token.models.js';

const issuer = 'http://localhost:8080';
const claims = { userId: 'user-1', sessionId: 'session-1' };

/** A verified token is remembered; these prove a remembered one is held to the same rules. */
describe('access tokens verified once, then recalled', () => {
  const now = new Date();
  const ring = toKeyRing(createKeyRingDocument(now), now);

  test('a recalled token still expires', async () => {
    const verified = createVerifiedAccessTokens();
    const token = await signAccessToken({ ring, issuer, claims, now });
    expect(await verifyAccessToken({ verified, ring, issuer, token, now })).toEqual(claims);
    const atExpiry = new Date(now.getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000);
    expect(
      await verifyAccessToken({ verified, ring, issuer, token, now: atExpiry }),
    ).toBeUndefined();
    // The CSRF binding accepts an expired token of ours, as before.
    expect(await sessionIdOfSignedAccessToken({ verified, ring, issuer, token })).toBe('session-1');
  });

  test('a recalled token is refused once its key has left the ring', async () => {
    const verified = createVerifiedAccessTokens();
    const token = await signAccessToken({ ring, issuer, claims, now });
    expect(await verifyAccessToken({ verified, ring, issuer, token, now })).toEqual(claims);
    const otherRing = toKeyRing(createKeyRingDocument(now), now);
    expect(
      await verifyAccessToken({ verified, ring: otherRing, issuer, token, now }),
    ).toBeUndefined();
    expect(
      await sessionIdOfSignedAccessToken({ verified, ring: otherRing, issuer, token }),
    ).toBeUndefined();
  });

  test('a recalled token is refused for another issuer', async () => {
    const verified = createVerifiedAccessTokens();
    const token = await signAccessToken({ ring, issuer, claims, now });
    expect(await verifyAccessToken({ verified, ring, issuer, token, now })).toEqual(claims);
    const other = 'https://files.example.com';
    expect(await verifyAccessToken({ verified, ring, issuer: other, token, now })).toBeUndefined();
  });

  test('one changed character misses the cache and fails verification', async () => {
    const verified = createVerifiedAccessTokens();
    const token = await signAccessToken({ ring, issuer, claims, now });
    expect(await verifyAccessToken({ verified, ring, issuer, token, now })).toEqual(claims);
    const [header = '', payload = ''] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    expect(await verifyAccessToken({ verified, ring, issuer, token: forged, now })).toBeUndefined();
  });
});
