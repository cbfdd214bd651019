import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isAppError } from '../app/app-error.js';
import { signIn } from '../modules/auth/auth.test-utils.js';
import { listAll } from '../modules/nodes/nodes.test-utils.js';
import { FIXTURE_PASSWORD, fixturesOf, type Fixtures } from './fixtures.js';
import { createTestApp, type TestApp } from './test-app.js';

let testApp: TestApp;
let fixtures: Fixtures;
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
});
afterAll(() => testApp.close());

const get = (url: string, headers: Record<string, string>) =>
  testApp.app.inject({ method: 'GET', url, headers });

describe('fixtures', () => {
  test('a new user is signed in, may change things, and can also sign in by password', async () => {
    const user = await fixtures.newUser();
    const me = await get('/api/auth/me', user.headers);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.userId, email: user.email, emailVerified: true });
    const root = await get('/api/folders/root', user.headers);
    expect(root.json()).toMatchObject({ id: user.rootId, parentId: null });
    const created = await testApp.app.inject({
      method: 'POST',
      url: '/api/folders',
      headers: user.headers,
      payload: { name: 'by http' },
    });
    expect(created.statusCode).toBe(201);
    const browser = await signIn(testApp.app, { email: user.email, password: FIXTURE_PASSWORD });
    expect(browser.userId).toBe(user.userId);
  });

  test('a second session is one more row on the sessions page', async () => {
    const user = await fixtures.newUser();
    const other = await fixtures.newSession(user);
    expect(other.sessionId).not.toBe(user.sessionId);
    const sessions = await get('/api/auth/sessions', other.headers);
    expect(sessions.json<{ sessions: unknown[] }>().sessions).toHaveLength(2);
  });

  test('a tree is what the API lists, its bytes are readable and charged to the quota', async () => {
    const user = await fixtures.newUser();
    const made = await fixtures.newTree(user, {
      Projects: { 'notes.txt': 'hello', Empty: {} },
      'top.bin': Buffer.from([1, 2, 3]),
    });
    expect(Object.keys(made).sort()).toEqual([
      'Projects',
      'Projects/Empty',
      'Projects/notes.txt',
      'top.bin',
    ]);
    const inProjects = await listAll(testApp.app, user, { folderId: made.Projects?.id });
    expect(inProjects.map((node) => node.name).sort()).toEqual(['Empty', 'notes.txt']);
    const content = await get(`/api/files/${made['Projects/notes.txt']?.id}/content`, user.headers);
    expect(content.body).toBe('hello');
    const usage = await get('/api/usage', user.headers);
    expect(usage.json()).toMatchObject({ usedBytes: 8 });
  });

  test('a file beyond the quota is refused as an upload would be, and nothing is charged', async () => {
    const user = await fixtures.newUser({ quotaBytes: 4 });
    await fixtures.newFile(user, { name: 'fits.txt', content: 'abc' });
    const refused = await fixtures.newFile(user, { name: 'too-big.txt', content: 'abcdef' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isAppError(refused) && refused.code).toBe('quota_exceeded');
    const usage = await get('/api/usage', user.headers);
    expect(usage.json()).toMatchObject({ usedBytes: 3, quotaBytes: 4 });
  });
});
