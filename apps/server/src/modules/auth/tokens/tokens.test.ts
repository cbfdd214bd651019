import type { ErrorBody } from '@myfile/contract';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rotateKeyRingFile } from '../../../keys/key-ring.file.js';
import { createTestApp, type TestApp } from '../../../test-support/test-app.js';
import { signAccessToken } from '../sessions/access-token.models.js';
import {
  cookieHeaderOf,
  cookiesFrom,
  signUpAndSignIn,
  type SignedInUser,
} from '../auth.test-utils.js';

const ACCESS = 'mf_access';
const REFRESH = 'mf_refresh';

describe('access and refresh tokens', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const jarOf = (user: SignedInUser) =>
    cookiesFrom(user.cookieHeader.split('; ').map((pair) => `${pair}; Path=/`));
  const me = (jar: Record<string, string>) =>
    testApp.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: cookieHeaderOf(jar) },
    });
  const refresh = (jar: Record<string, string>, csrfToken: string) =>
    testApp.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      headers: { cookie: cookieHeaderOf(jar), 'x-csrf-token': csrfToken },
    });
  const withAccess = (jar: Record<string, string>, token: string) => ({ ...jar, [ACCESS]: token });
  const issuer = 'http://localhost:8080';

  test('a valid access token is accepted', async () => {
    const user = await signUpAndSignIn(testApp.app);
    expect((await me(jarOf(user))).statusCode).toBe(200);
  });

  test('forged, tampered, expired or misplaced tokens are all 401', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const other = await signUpAndSignIn(testApp.app);
    const jar = jarOf(user);
    const valid = jar[ACCESS] ?? '';
    const [header = '', payload = '', signature = ''] = valid.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const ring = testApp.context.keyRing;
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

    const algNone = `${b64({ alg: 'none', kid: ring.current.kid, typ: 'at+jwt' })}.${payload}.`;
    const publicPem = ring.current.publicKey.export({ format: 'pem', type: 'spki' });
    const hs256WithPublicKey = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: ring.current.kid, typ: 'at+jwt' })
      .sign(new TextEncoder().encode(publicPem));
    const tampered = `${header}.${b64({ ...claims, sub: other.userId })}.${signature}`;
    const expired = await signAccessToken({
      ring,
      issuer,
      claims: { userId: user.userId, sessionId: String(claims.sid) },
      now: new Date(Date.now() - 16 * 60_000),
    });
    const foreignKey = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: ring.current.kid, typ: 'at+jwt' })
      .sign(generateKeyPairSync('ed25519').privateKey);
    const unknownKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: 'not-a-kid', typ: 'at+jwt' })
      .sign(ring.current.privateKey);
    const wrongIssuer = await new SignJWT({ ...claims, iss: 'https://evil.example' })
      .setProtectedHeader({ alg: 'EdDSA', kid: ring.current.kid, typ: 'at+jwt' })
      .sign(ring.current.privateKey);
    const refreshAsAccess = jar[REFRESH] ?? '';

    const cases = {
      algNone,
      hs256WithPublicKey,
      tampered,
      expired,
      foreignKey,
      unknownKid,
      wrongIssuer,
      refreshAsAccess,
    };
    for (const [name, token] of Object.entries(cases)) {
      const response = await me(withAccess({}, token));
      expect({ name, status: response.statusCode }).toEqual({ name, status: 401 });
      expect(response.json<ErrorBody>().error.code).toBe('unauthenticated');
    }
  });

  test('refresh rotates the refresh token and issues a new access token', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const jar = jarOf(user);
    const response = await refresh(jar, user.csrfToken);
    expect(response.statusCode).toBe(200);
    const next = cookiesFrom(response.headers['set-cookie'], jar);
    expect(next[REFRESH]).not.toBe(jar[REFRESH]);
    expect(next[ACCESS]).not.toBe(jar[ACCESS]);
    expect(response.body).not.toContain(next[REFRESH] ?? 'x');
    expect(response.body).not.toContain(next[ACCESS] ?? 'x');
    expect((await me(next)).statusCode).toBe(200);
    const hashes = await testApp.context.database.db
      .selectFrom('refresh_tokens')
      .select('token_hash')
      .execute();
    expect(hashes.map((row) => row.token_hash)).not.toContain(next[REFRESH]);
  });

  test('replaying a rotated refresh token revokes the whole family and records it', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const t0 = jarOf(user);
    const t1 = cookiesFrom((await refresh(t0, user.csrfToken)).headers['set-cookie'], t0);
    const t2 = cookiesFrom((await refresh(t1, user.csrfToken)).headers['set-cookie'], t1);
    expect((await me(t2)).statusCode).toBe(200);

    // t0 is two rotations old: no race explains it, so it is theft.
    const replay = await refresh(t0, user.csrfToken);
    expect(replay.statusCode).toBe(401);
    expect((await me(t2)).statusCode).toBe(401);
    expect((await refresh(t2, user.csrfToken)).statusCode).toBe(401);
    const events = await testApp.context.database.db
      .selectFrom('security_events')
      .select('type')
      .where('user_id', '=', user.userId)
      .execute();
    expect(events.map((event) => event.type)).toContain('refresh_reuse');
  });

  test('the immediate predecessor replayed after the grace window also revokes the family', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const t0 = jarOf(user);
    const t1 = cookiesFrom((await refresh(t0, user.csrfToken)).headers['set-cookie'], t0);
    await testApp.context.database.db
      .updateTable('refresh_tokens')
      .set({ rotated_at: new Date(Date.now() - 60_000) })
      .where('rotated_at', 'is not', null)
      .execute();
    expect((await refresh(t0, user.csrfToken)).statusCode).toBe(401);
    expect((await me(t1)).statusCode).toBe(401);
  });

  test('two concurrent refreshes with the same token both succeed within the grace window', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const t0 = jarOf(user);
    const [a, b] = await Promise.all([refresh(t0, user.csrfToken), refresh(t0, user.csrfToken)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const rotatedIn = [a, b].filter((response) =>
      String(response.headers['set-cookie']).includes(`${REFRESH}=`),
    );
    // Exactly one response rotated the refresh token; the other only renewed the access token.
    expect(rotatedIn).toHaveLength(1);
    const winner = cookiesFrom(rotatedIn[0]?.headers['set-cookie'], t0);
    expect((await refresh(winner, user.csrfToken)).statusCode).toBe(200);
  });

  test('logout ends access at once, even for a cached session', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const jar = jarOf(user);
    expect((await me(jar)).statusCode).toBe(200);
    const out = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: user.headers,
    });
    expect(out.statusCode).toBe(200);
    expect((await me(jar)).statusCode).toBe(401);
    expect((await refresh(jar, user.csrfToken)).statusCode).toBe(401);
  });

  test('after a key rotation new tokens use the new kid and old ones still verify', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const oldKid = testApp.context.keyRing.current.kid;
    await rotateKeyRingFile(testApp.dataDir, new Date(Date.now() + 1000));
    await testApp.context.keys.reload();
    expect(testApp.context.keyRing.current.kid).not.toBe(oldKid);
    expect((await me(jarOf(user))).statusCode).toBe(200);
    // The CSRF token signed with the old key still works for an unsafe request.
    const refreshed = await refresh(jarOf(user), user.csrfToken);
    expect(refreshed.statusCode).toBe(200);
    const access = cookiesFrom(refreshed.headers['set-cookie'])[ACCESS] ?? '';
    const header = JSON.parse(Buffer.from(access.split('.')[0] ?? '', 'base64url').toString()) as {
      kid: string;
      alg: string;
    };
    expect(header).toMatchObject({ kid: testApp.context.keyRing.current.kid, alg: 'EdDSA' });
  });
});
