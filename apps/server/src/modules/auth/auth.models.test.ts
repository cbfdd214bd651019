import { describe, expect, test } from 'vitest';
import {
  createKeyRingDocument,
  rotateKeyRingDocument,
  toKeyRing,
} from '../../keys/key-ring.models.js';
import { deviceLabel, refreshTokenSessionId } from './auth.models.js';
import { issueCsrfToken, verifyCsrfToken } from './csrf/csrf.models.js';
import { emailKey, normalizeEmail } from './accounts/email.models.js';
import {
  findPasswordProblem,
  hashPassword,
  needsRehash,
  verifyPassword,
} from './passwords/passwords.models.js';
import { safeEqual } from './secrets.models.js';
import { signLink, verifyLink } from './links/signed-links.models.js';

const ring = toKeyRing(createKeyRingDocument(new Date()), new Date());

describe('auth models', () => {
  test('email normalisation trims and lower-cases the domain only', () => {
    expect(normalizeEmail('  Jane.Doe@Example.ORG ')).toBe('Jane.Doe@example.org');
    expect(emailKey('Jane.Doe@Example.ORG')).toBe('jane.doe@example.org');
  });

  test('password policy: length bounds, a strength estimate with dictionaries, not the email', () => {
    const email = 'jane.doe@example.org';
    const problem = (password: string, account = email) =>
      findPasswordProblem(password, { email: account })?.problem;
    expect(problem('123456789')).toBe('too_short');
    expect(problem('x'.repeat(257))).toBe('too_long');
    for (const weak of [
      '0123456789',
      'aaaaaaaaaa',
      'P@ssw0rd123',
      'iloveyouiloveyou',
      'basketball',
      '!!Password123!!',
      'qwertyuiop',
      'p4$$w0rd2024!',
    ]) {
      expect({ weak, problem: problem(weak) }).toEqual({ weak, problem: 'too_weak' });
    }
    expect(problem('jane.doe@example.org')).toBe('like_account');
    expect(problem('Jane.Doe')).toBeDefined();
    expect(problem('janedoe1990!', 'janedoe1990!@example.org')).toBe('like_account');
    expect(problem('correct horse battery staple')).toBeUndefined();
    expect(problem('alllowercaseletters')).toBeUndefined();
    expect(problem('🔑🌵🚲🧭🪁🎻🦉🍉🧩🛶')).toBeUndefined();
  });

  test('the weak reason is explained in the message', () => {
    const found = findPasswordProblem('iloveyouiloveyou', { email: 'x@example.org' });
    expect(found?.warning).toBeTruthy();
  });

  test('argon2id hashes verify, refuse a wrong password, and flag weaker parameters', async () => {
    const hashed = await hashPassword('a good long password');
    expect(await verifyPassword(hashed, 'a good long password')).toBe(true);
    expect(await verifyPassword(hashed, 'a good long passworD')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    expect(needsRehash(hashed)).toBe(false);
    expect(needsRehash(hashed.replace('m=19456', 'm=4096'))).toBe(true);
  });

  test('CSRF tokens verify only for their binding, and after a rotation', () => {
    const token = issueCsrfToken(ring, { kind: 's', id: 'session-a' });
    expect(verifyCsrfToken(ring, token, [{ kind: 's', id: 'session-a' }])).toBe(true);
    expect(verifyCsrfToken(ring, token, [{ kind: 's', id: 'session-b' }])).toBe(false);
    expect(verifyCsrfToken(ring, token, [{ kind: 'p', id: 'session-a' }])).toBe(false);
    expect(verifyCsrfToken(ring, `${token}x`, [{ kind: 's', id: 'session-a' }])).toBe(false);
    const document = createKeyRingDocument(new Date(Date.now() - 1000));
    const older = toKeyRing(document, new Date());
    const newer = toKeyRing(rotateKeyRingDocument(document, new Date()), new Date());
    const old = issueCsrfToken(older, { kind: 'p', id: 'n' });
    expect(verifyCsrfToken(newer, old, [{ kind: 'p', id: 'n' }])).toBe(true);
  });

  test('signed links: purpose-bound, expiring, tamper-evident', () => {
    const claims = {
      p: 'verify-email' as const,
      sub: 'u1',
      jti: 'j'.repeat(20),
      exp: Math.floor(Date.now() / 1000) + 60,
    };
    const token = signLink(ring, claims);
    expect(verifyLink({ ring, token, purpose: 'verify-email' })).toEqual(claims);
    expect(verifyLink({ ring, token, purpose: 'password-reset' })).toBeUndefined();
    expect(
      verifyLink({ ring, token, purpose: 'verify-email', now: new Date(Date.now() + 120_000) }),
    ).toBeUndefined();
    // A changed character inside the token (not the last: its low bits may be padding).
    const tampered = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
    expect(verifyLink({ ring, token: tampered, purpose: 'verify-email' })).toBeUndefined();
  });

  test('constant-time compare, device labels and refresh token shape', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(
      deviceLabel(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari on iOS');
    expect(deviceLabel(null)).toBe('Unknown device');
    expect(refreshTokenSessionId('01a201a2-03bf-7574-9689-d2973734fb49.secret')).toBe(
      '01a201a2-03bf-7574-9689-d2973734fb49',
    );
    expect(refreshTokenSessionId('garbage')).toBeUndefined();
  });
});
