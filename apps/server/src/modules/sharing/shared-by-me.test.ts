import type { NodeDto, SharedByMeItemDto } from '@myfile/contract';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createFolderVia, signUp, type TestUser } from '../nodes/nodes.test-utils.js';

let testApp: TestApp;
let owner: TestUser;
let friend: TestUser;

type Method = 'GET' | 'POST' | 'DELETE';
const call = (user: TestUser, method: Method, url: string, payload?: object) =>
  testApp.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });

const folder = (name: string) => createFolderVia(testApp.app, owner, { name });

const makeLink = async (node: NodeDto) => {
  const response = await call(owner, 'POST', `/api/nodes/${node.id}/links`, { role: 'viewer' });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>();
};

const page = async (user: TestUser, query = '') => {
  const response = await call(user, 'GET', `/api/shared-by-me${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: SharedByMeItemDto[]; nextCursor: string | null }>();
};

beforeAll(async () => {
  testApp = await createTestApp();
  owner = await signUp(testApp.app);
  friend = await signUp(testApp.app);
});
afterAll(() => testApp.close());

test('shared by me lists items with people or working links, newest share first, a page at a time', async () => {
  const withPerson = await folder('with a person');
  const withLink = await folder('with a link');
  const revoked = await folder('revoked link only');
  const trashed = await folder('shared then trashed');
  await folder('never shared');
  const share = await call(owner, 'POST', `/api/nodes/${withPerson.id}/shares`, {
    email: friend.email,
    role: 'viewer',
  });
  expect(share.statusCode, share.body).toBe(201);
  await makeLink(withLink);
  await makeLink(withPerson);
  const gone = await makeLink(revoked);
  expect((await call(owner, 'DELETE', `/api/links/${gone.id}`)).statusCode).toBe(200);
  await makeLink(trashed);
  expect(
    (await call(owner, 'DELETE', `/api/folders/${trashed.id}?recursive=true`)).statusCode,
  ).toBe(204);

  const all = await page(owner);
  expect(all.items.map((item) => [item.name, item.people, item.links])).toEqual([
    ['with a person', 1, 1],
    ['with a link', 0, 1],
  ]);
  expect(all.nextCursor).toBeNull();

  const first = await page(owner, '?limit=1');
  expect(first.items.map((item) => item.name)).toEqual(['with a person']);
  const second = await page(owner, `?limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
  expect(second.items.map((item) => item.name)).toEqual(['with a link']);
  expect(second.nextCursor).toBeNull();

  // The owner's folder listing marks the same items "shared", and only those.
  const root = await call(owner, 'GET', '/api/folders/root/children');
  const flagged = root
    .json<{ items: NodeDto[] }>()
    .items.filter((item) => item.shared)
    .map((item) => item.name);
  expect(flagged.sort()).toEqual(['with a link', 'with a person']);
  // A sharee listing the shared folder learns nothing about the owner's shares.
  const asFriend = await call(friend, 'GET', `/api/folders/${withPerson.id}/children`);
  expect(asFriend.statusCode).toBe(200);

  // Only the owner's own shares: the friend, who received one, has shared nothing.
  expect((await page(friend)).items).toEqual([]);
  const anonymous = await testApp.app.inject({ method: 'GET', url: '/api/shared-by-me' });
  expect(anonymous.statusCode).toBe(401);
  expect((await call(owner, 'GET', '/api/shared-by-me?cursor=nonsense')).statusCode).toBe(400);
});
