import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ErrorBody } from '@myfile/contract';
import sharp from 'sharp';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures } from '../../test-support/fixtures.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { userActor } from '../access/access.models.js';
import { createAuthDeps } from '../auth/auth.deps.js';
import { signIn, signUpAndSignIn } from '../auth/auth.test-utils.js';
import { signLink } from '../auth/links/signed-links.models.js';
import { RECENT_AUTH_SECONDS } from '../auth/recent-auth/recent-auth.usecases.js';
import { toFilesDeps } from '../nodes/nodes.usecases.js';
import { uploadFile } from '../uploads/uploads.usecases.js';

let testApp: TestApp;
let fixtures: Fixtures;
let tmp: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-account-'));
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
  // The instance's administrator, so the accounts below are ordinary ones.
  await fixtures.newUser();
});
afterAll(async () => {
  await testApp.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

const db = () => testApp.context.database.db;

/** Every object in the blob store (on disk or S3) plus every file of a disk cold tier. */
const countStoredObjects = async () => {
  let count = 0;
  for await (const blob of testApp.context.blobStorage.list({})) if (blob.key) count += 1;
  const walk = async (dir: string): Promise<number> => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    let files = 0;
    for (const entry of entries) {
      files += entry.isDirectory() ? await walk(path.join(dir, entry.name)) : 1;
    }
    return files;
  };
  return count + (await walk(path.join(testApp.dataDir, 'archive')));
};

const ageSessions = (userId: string) =>
  sql`update sessions set created_at = ${new Date(Date.now() - (RECENT_AUTH_SECONDS + 60) * 1000)},
      reauthenticated_at = null where user_id = ${userId}`.execute(db());

describe('deleting my account', () => {
  test('leaves no blob behind: files, versions, thumbnails and cold copies all go', async () => {
    const keeper = await fixtures.newUser();
    const kept = await fixtures.newFile(keeper, { name: 'keep.txt', content: 'stay' });
    await runQueuedJobs(testApp.context);
    const baseline = await countStoredObjects();

    const doomed = await fixtures.newUser();
    const png = await sharp({
      create: { width: 8, height: 8, channels: 3, background: '#118844' },
    })
      .png()
      .toBuffer();
    const tree = await fixtures.newTree(doomed, {
      Docs: { 'a.txt': 'first' },
      'pic.png': png,
      Cold: { 'c.txt': 'cold bytes' },
    });
    // A replace keeps the old bytes as a version.
    await uploadFile({
      ...toFilesDeps(testApp.context),
      actor: userActor(doomed.userId),
      folderId: tree.Docs?.id ?? '',
      name: 'a.txt',
      onConflict: 'replace',
      body: Readable.from([Buffer.from('second')]),
    });
    const archived = await testApp.app.inject({
      method: 'POST',
      url: `/api/folders/${tree.Cold?.id ?? ''}/archive`,
      headers: doomed.headers,
    });
    expect(archived.statusCode).toBe(202);
    await runQueuedJobs(testApp.context);
    const thumbnails = await db()
      .selectFrom('nodes')
      .select('thumbnail_state')
      .where('id', '=', tree['pic.png']?.id ?? '')
      .executeTakeFirstOrThrow();
    expect(thumbnails.thumbnail_state).toBe('ready');
    // Two file blobs, one version, one thumbnail, one cold copy.
    expect(await countStoredObjects()).toBe(baseline + 5);

    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/account/delete',
      headers: doomed.headers,
      payload: {},
    });
    expect(response.statusCode).toBe(202);
    // At once: signed out, and the address is free for a new account.
    expect(
      (await testApp.app.inject({ method: 'GET', url: '/api/usage', headers: doomed.headers }))
        .statusCode,
    ).toBe(401);
    await expect(
      signIn(testApp.app, { email: doomed.email, password: doomed.password }),
    ).rejects.toThrow(/invalid_credentials/);
    const again = await signUpAndSignIn(testApp.app, { email: doomed.email });
    expect(again.userId).not.toBe(doomed.userId);

    await runQueuedJobs(testApp.context);
    expect(await countStoredObjects()).toBe(baseline);
    expect(
      await db().selectFrom('users').select('id').where('id', '=', doomed.userId).execute(),
    ).toEqual([]);
    expect(
      await db().selectFrom('nodes').select('id').where('owner_id', '=', doomed.userId).execute(),
    ).toEqual([]);
    const keptContent = await testApp.app.inject({
      method: 'GET',
      url: `/api/files/${kept.id}/content`,
      headers: keeper.headers,
    });
    expect(keptContent.body).toBe('stay');
  });

  test('needs recent authentication: an older session must give the password', async () => {
    const user = await fixtures.newUser();
    await ageSessions(user.userId);
    const refused = await testApp.app.inject({
      method: 'POST',
      url: '/api/account/delete',
      headers: user.headers,
      payload: {},
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<ErrorBody>().error.code).toBe('reauth_required');
    expect(
      (
        await db()
          .selectFrom('users')
          .select('deleted_at')
          .where('id', '=', user.userId)
          .executeTakeFirstOrThrow()
      ).deleted_at,
    ).toBeNull();
    const allowed = await testApp.app.inject({
      method: 'POST',
      url: '/api/account/delete',
      headers: user.headers,
      payload: { currentPassword: user.password },
    });
    expect(allowed.statusCode).toBe(202);
  });
});

describe('changing my email address', () => {
  const linkOf = async (to: string) => {
    const job = await db()
      .selectFrom('jobs')
      .select('payload')
      .where('name', '=', 'auth.send-link')
      .where(sql<boolean>`payload->>'to' = ${to}`)
      .executeTakeFirstOrThrow();
    const { claims } = job.payload as { claims: Parameters<typeof signLink>[1] };
    return { claims, token: signLink(testApp.context.keys.current(), claims) };
  };
  const confirm = (token: string) =>
    testApp.app.inject({
      method: 'POST',
      url: '/api/account/email/confirm',
      payload: { token },
    });

  test('the address changes only when the link mailed to the new one is used, once', async () => {
    const user = await fixtures.newUser();
    const newEmail = `moved-${user.userId.slice(-8)}@example.com`;
    const asked = await testApp.app.inject({
      method: 'POST',
      url: '/api/account/email',
      headers: user.headers,
      payload: { newEmail },
    });
    expect(asked.statusCode).toBe(202);
    // The old address is told, and keeps working until the link is used.
    const notice = await db()
      .selectFrom('jobs')
      .select('payload')
      .where('name', '=', 'mail.send')
      .where(sql<boolean>`payload->>'to' = ${user.email}`)
      .execute();
    expect(notice).toHaveLength(1);
    const me = await testApp.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: user.headers,
    });
    expect(me.json<{ email: string }>().email).toBe(user.email);

    const { token } = await linkOf(newEmail);
    expect((await confirm(token)).statusCode).toBe(200);
    const after = await testApp.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: user.headers,
    });
    expect(after.json<{ email: string }>().email).toBe(newEmail);
    await expect(
      signIn(testApp.app, { email: newEmail, password: user.password }),
    ).resolves.toBeDefined();
    // Single use.
    const reused = await confirm(token);
    expect(reused.statusCode).toBe(400);
    expect(reused.json<ErrorBody>().error.code).toBe('link_invalid');
  });

  test('an expired or tampered link is refused, and a taken address answers email_taken', async () => {
    const user = await fixtures.newUser();
    const other = await fixtures.newUser();
    const ring = testApp.context.keys.current();
    const claims = {
      p: 'email-change' as const,
      sub: user.userId,
      jti: 'a'.repeat(22),
      exp: Math.floor(Date.now() / 1000) - 1,
      email: `late-${user.userId.slice(-8)}@example.com`,
    };
    expect((await confirm(signLink(ring, claims))).statusCode).toBe(400);
    const [, kid, mac] = signLink(ring, { ...claims, exp: claims.exp + 3600 }).split('.');
    const thief = { ...claims, exp: claims.exp + 3600, email: 'thief@example.com' };
    const forged = `${Buffer.from(JSON.stringify(thief)).toString('base64url')}.${kid}.${mac}`;
    expect((await confirm(forged)).statusCode).toBe(400);
    const taken = await confirm(
      signLink(ring, {
        ...claims,
        jti: 'b'.repeat(22),
        exp: claims.exp + 3600,
        email: other.email,
      }),
    );
    expect(taken.statusCode).toBe(409);
    expect(taken.json<ErrorBody>().error.code).toBe('email_taken');
  });

  test('needs recent authentication', async () => {
    const user = await fixtures.newUser();
    await ageSessions(user.userId);
    const refused = await testApp.app.inject({
      method: 'POST',
      url: '/api/account/email',
      headers: user.headers,
      payload: { newEmail: 'elsewhere@example.com' },
    });
    expect(refused.json<ErrorBody>().error.code).toBe('reauth_required');
  });
});

describe('exporting all my files', () => {
  test('one streamed zip of every folder and file I have', async () => {
    const user = await fixtures.newUser();
    await fixtures.newTree(user, {
      Docs: { 'a.txt': 'alpha', Deep: { 'b.txt': 'beta' } },
      'top.txt': 'top',
      Empty: {},
    });
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/api/account/export',
      headers: user.headers,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toContain('attachment');
    const file = path.join(tmp, 'export.zip');
    await fs.writeFile(file, response.rawPayload);
    const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Docs\/a\.txt$/),
        expect.stringMatching(/Docs\/Deep\/b\.txt$/),
        expect.stringMatching(/top\.txt$/),
        expect.stringMatching(/Empty\/$/),
      ]),
    );
    const deep = names.find((name) => name.endsWith('Docs/Deep/b.txt')) ?? '';
    expect(execFileSync('unzip', ['-p', file, deep], { encoding: 'utf8' })).toBe('beta');
  });

  test('a personal token cannot export (browser sessions only)', async () => {
    const user = await fixtures.newUser();
    const { createPersonalToken } = await import('../auth/tokens/personal-tokens.usecases.js');
    const { token } = await createPersonalToken({
      ...createAuthDeps(testApp.context),
      userId: user.userId,
      name: 't',
      scopes: ['read'],
      expiresInDays: 1,
      origin: { ip: null, userAgent: null },
    });
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/api/account/export',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(403);
  });
});
