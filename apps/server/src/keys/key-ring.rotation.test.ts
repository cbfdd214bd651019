import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  toKeyRing,
  rotateKeyRingDocument,
  generateKeyEntry,
  KeyRingError,
  KEY_LIFETIME_DAYS,
  parseKeyRingDocument,
  newestKeyEntry,
  type KeyRingDocument,
  type KeyEntry,
} from './key-ring.models.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const t0 = new Date('2026-01-01T00:00:00.000Z');
const daysAfter = (days: number) => new Date(t0.getTime() + days * DAY_MS);

function fakeKey(kid: string, createdAt: Date): KeyEntry {
  return {
    kid,
    createdAt: createdAt.toISOString(),
    expiresAt: new Date(createdAt.getTime() + KEY_LIFETIME_DAYS * DAY_MS).toISOString(),
    ed25519PrivateKeyPem: `pem-${kid}`,
    hmacSecret: `hmac-${kid}`,
  };
}

const sequentialKeys = () => {
  let n = 0;
  return (now: Date) => fakeKey(`k${++n}`, now);
};

describe('generateKeyEntry', () => {
  it('creates an Ed25519 PKCS8 key, a 32-byte HMAC secret and a 61-day lifetime', () => {
    const key = generateKeyEntry(t0);
    expect(key.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(key.expiresAt).toBe('2026-03-03T00:00:00.000Z');
    expect(key.ed25519PrivateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(createPrivateKey(key.ed25519PrivateKeyPem).asymmetricKeyType).toBe('ed25519');
    expect(Buffer.from(key.hmacSecret, 'base64url')).toHaveLength(32);
    expect(key.hmacSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gives every key a distinct kid, even at the same instant', () => {
    expect(generateKeyEntry(t0).kid).not.toBe(generateKeyEntry(t0).kid);
  });
});

describe('rotateKeyRingDocument', () => {
  it('adds the first key to an empty ring', () => {
    const next = rotateKeyRingDocument({ version: 1, keys: [] }, t0, sequentialKeys());
    expect(next.keys.map((k) => k.kid)).toEqual(['k1']);
  });

  it('keeps unexpired keys so their tokens still verify, and the new key signs', () => {
    const generate = sequentialKeys();
    let ring: KeyRingDocument = { version: 1, keys: [] };
    ring = rotateKeyRingDocument(ring, t0, generate);
    ring = rotateKeyRingDocument(ring, daysAfter(30), generate);
    expect(ring.keys.map((k) => k.kid)).toEqual(['k2', 'k1']);
    expect(newestKeyEntry(ring)?.kid).toBe('k2');
  });

  it('drops keys whose expiresAt has passed', () => {
    const generate = sequentialKeys();
    let ring: KeyRingDocument = { version: 1, keys: [] };
    for (const day of [0, 30, 60, 90]) ring = rotateKeyRingDocument(ring, daysAfter(day), generate);
    // k1 expired on day 61, k2 (day 30) lives until day 91.
    expect(ring.keys.map((k) => k.kid)).toEqual(['k4', 'k3', 'k2']);
  });

  it('drops a key exactly at its expiry instant', () => {
    const ring = rotateKeyRingDocument(
      { version: 1, keys: [fakeKey('old', t0)] },
      daysAfter(KEY_LIFETIME_DAYS),
      sequentialKeys(),
    );
    expect(ring.keys.map((k) => k.kid)).toEqual(['k1']);
  });

  it('does not modify the current ring', () => {
    const current: KeyRingDocument = { version: 1, keys: [fakeKey('a', t0)] };
    const snapshot = structuredClone(current);
    rotateKeyRingDocument(current, daysAfter(100), sequentialKeys());
    expect(current).toEqual(snapshot);
  });
});

describe('parseKeyRingDocument', () => {
  it('round-trips a serialized ring', () => {
    const ring: KeyRingDocument = { version: 1, keys: [generateKeyEntry(t0)] };
    expect(parseKeyRingDocument(JSON.stringify(ring))).toEqual(ring);
  });

  it.each([
    ['not json', 'nope'],
    ['wrong version', '{"version":2,"keys":[]}'],
    ['keys not an array', '{"version":1,"keys":{}}'],
    ['missing kid', '{"version":1,"keys":[{"createdAt":"2026-01-01T00:00:00Z"}]}'],
    [
      'bad date',
      '{"version":1,"keys":[{"kid":"a","createdAt":"yesterday","expiresAt":"2026-01-01T00:00:00Z","ed25519PrivateKeyPem":"x","hmacSecret":"y"}]}',
    ],
  ])('rejects %s', (_label, input) => {
    expect(() => parseKeyRingDocument(input)).toThrow(KeyRingError);
  });
});

describe('toKeyRing', () => {
  it('accepts a freshly rotated ring', () => {
    const ring = rotateKeyRingDocument({ version: 1, keys: [] }, t0);
    expect(() => toKeyRing(ring, t0)).not.toThrow();
  });

  it('rejects an empty ring', () => {
    expect(() => toKeyRing({ version: 1, keys: [] }, t0)).toThrow(/no unexpired signing key/);
  });

  it('rejects a ring whose newest key has expired', () => {
    const ring: KeyRingDocument = { version: 1, keys: [generateKeyEntry(t0)] };
    expect(() => toKeyRing(ring, daysAfter(62))).toThrow(/expired/);
  });

  it('rejects a key that is not Ed25519', () => {
    const key = { ...generateKeyEntry(t0), ed25519PrivateKeyPem: 'not a pem' };
    expect(() => toKeyRing({ version: 1, keys: [key] }, t0)).toThrow();
  });

  it('rejects duplicate kids', () => {
    const key = generateKeyEntry(t0);
    expect(() => toKeyRing({ version: 1, keys: [key, key] }, t0)).toThrow(/duplicate/i);
  });
});
