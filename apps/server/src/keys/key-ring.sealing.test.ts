import { describe, expect, test } from 'vitest';
import {
  createKeyRingDocument,
  KEY_LIFETIME_DAYS,
  rotateKeyRingDocument,
  toKeyRing,
} from './key-ring.models.js';
import { openSealedSecret, resealSecret, sealSecret } from './key-ring.sealing.js';

const DAY = 86_400_000;
const start = new Date('2026-01-01T00:00:00Z');
const at = (days: number) => new Date(start.getTime() + days * DAY);

describe('sealed secrets', () => {
  const first = createKeyRingDocument(start);
  const ring = toKeyRing(first, start);

  test('open what was sealed, under the same context only', () => {
    const sealed = sealSecret(ring, 'the token', 'link:a');
    expect(sealed.kid).toBe(ring.current.kid);
    expect(sealed.sealed).not.toContain('the token');
    expect(openSealedSecret(ring, sealed, 'link:a')).toBe('the token');
    expect(openSealedSecret(ring, sealed, 'link:b')).toBeUndefined();
  });

  test('two seals of one secret differ (a fresh IV each time)', () => {
    expect(sealSecret(ring, 's', 'c').sealed).not.toBe(sealSecret(ring, 's', 'c').sealed);
  });

  test('a tampered text, an unknown key or a malformed text opens nothing', () => {
    const sealed = sealSecret(ring, 'the token', 'c');
    const parts = sealed.sealed.split('.');
    const body = Buffer.from(parts[2] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    const flipped = [parts[0], parts[1], body.toString('base64url'), parts[3]].join('.');
    expect(openSealedSecret(ring, { ...sealed, sealed: flipped }, 'c')).toBeUndefined();
    expect(openSealedSecret(ring, { ...sealed, kid: 'nope' }, 'c')).toBeUndefined();
    for (const bad of ['', 'v1', 'v1.a.b', `${sealed.sealed}.x`, `v2${sealed.sealed.slice(2)}`]) {
      expect(openSealedSecret(ring, { ...sealed, sealed: bad }, 'c')).toBeUndefined();
    }
  });

  test('an older key still opens after a rotation, and resealing moves to the newest', () => {
    const sealed = sealSecret(ring, 'kept', 'c');
    const rotatedDocument = rotateKeyRingDocument(first, at(30));
    const rotated = toKeyRing(rotatedDocument, at(31));
    expect(openSealedSecret(rotated, sealed, 'c')).toBe('kept');
    const moved = resealSecret(rotated, sealed, 'c');
    expect(moved?.kid).toBe(rotated.current.kid);
    // Once the first key has expired, only the resealed copy opens.
    const later = toKeyRing(rotatedDocument, at(KEY_LIFETIME_DAYS + 1));
    expect(openSealedSecret(later, sealed, 'c')).toBeUndefined();
    expect(moved && openSealedSecret(later, moved, 'c')).toBe('kept');
    expect(resealSecret(later, sealed, 'c')).toBeUndefined();
  });
});
