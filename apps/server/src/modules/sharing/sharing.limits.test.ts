import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { uploadFiles } from '../nodes/nodes.test-utils.js';
import { SHARE_MAILS } from './sharing.usecases.js';

let testApp: TestApp;
let owner: FixtureUser;
let editor: FixtureUser;
let folder: NodeDto;

beforeAll(async () => {
  testApp = await createTestApp();
  const fixtures = fixturesOf(testApp.context);
  owner = await fixtures.newUser({ quotaBytes: 10 });
  editor = await fixtures.newUser();
  folder = await fixtures.newFolder(owner, { name: 'Small' });
  const shared = await testApp.app.inject({
    method: 'POST',
    url: `/api/nodes/${folder.id}/shares`,
    headers: owner.headers,
    payload: { email: editor.email, role: 'editor' },
  });
  expect(shared.statusCode).toBe(201);
});
afterAll(() => testApp.close());

describe('whose quota', () => {
  test("an editor's upload that does not fit names the owner's quota; the owner's names theirs", async () => {
    const files = [{ name: 'big.bin', content: 'x'.repeat(20) }];
    const byEditor = await uploadFiles(testApp.app, editor, { folderId: folder.id, files });
    expect(byEditor.statusCode).toBe(413);
    expect(byEditor.json()).toMatchObject({ error: { code: 'quota_exceeded' } });
    expect(byEditor.json<{ error: { message: string } }>().error.message).toMatch(
      /quota of the folder's owner/,
    );
    const byOwner = await uploadFiles(testApp.app, owner, { folderId: folder.id, files });
    expect(byOwner.statusCode).toBe(413);
    expect(byOwner.json<{ error: { message: string } }>().error.message).toMatch(
      /your storage quota/,
    );
  });
});

describe('share mails', () => {
  test('are capped per sharer, the same way for known and unknown addresses', async () => {
    const statuses: number[] = [];
    // The share made in beforeAll counted too.
    for (let index = 1; index <= SHARE_MAILS.max; index++) {
      const response = await testApp.app.inject({
        method: 'POST',
        url: `/api/nodes/${folder.id}/shares`,
        headers: owner.headers,
        payload: { email: `invitee-${index}@example.com`, role: 'viewer' },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, -1).every((status) => status === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const known = await testApp.app.inject({
      method: 'POST',
      url: `/api/nodes/${folder.id}/shares`,
      headers: owner.headers,
      payload: { email: editor.email, role: 'viewer' },
    });
    expect(known.statusCode).toBe(429);
    expect(known.headers['retry-after']).toBeDefined();
  });
});
