import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CreatedLinkDto, LinkVisitDto, NodeDto, ShareLinkDto } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { cookieHeaderOf, cookiesFrom } from '../auth/auth.test-utils.js';
import { multipartBody } from '../nodes/nodes.test-utils.js';
import { LINK_UNLOCK_LIMITS } from './links.limits.js';

let testApp: TestApp;
let owner: FixtureUser;
let stranger: FixtureUser;
let tree: Record<string, NodeDto>;

type Method = 'GET' | 'POST' | 'DELETE';
const inject = (
  method: Method,
  url: string,
  { headers = {}, payload }: { headers?: Record<string, string>; payload?: object } = {},
) => testApp.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

const makeLink = async (node: NodeDto, body: Record<string, unknown>) => {
  const response = await inject('POST', `/api/nodes/${node.id}/links`, {
    headers: owner.headers,
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<CreatedLinkDto>();
};

const dropInto = (token: string, folderId: string, headers: Record<string, string> = {}) => {
  const { payload, contentType } = multipartBody([{ name: 'dropped.txt', content: 'hello' }]);
  return testApp.app.inject({
    method: 'POST',
    url: `/api/s/${token}/folders/${folderId}/files`,
    headers: { ...headers, 'content-type': contentType },
    payload,
  });
};

/** Unlocks `token` with `password`; the grant cookie and the CSRF token that goes with it. */
const unlock = async (token: string, password: string, ip = '198.51.100.7') => {
  const response = await testApp.app.inject({
    method: 'POST',
    url: `/api/s/${token}/unlock`,
    payload: { password },
    remoteAddress: ip,
  });
  const jar = cookiesFrom(response.headers['set-cookie']);
  return {
    response,
    headers: {
      cookie: cookieHeaderOf(jar),
      'x-csrf-token':
        response.statusCode === 200 ? response.json<{ csrfToken: string }>().csrfToken : '',
    },
  };
};

beforeAll(async () => {
  testApp = await createTestApp();
  const fixtures = fixturesOf(testApp.context);
  owner = await fixtures.newUser();
  stranger = await fixtures.newUser();
  tree = await fixtures.newTree(owner, {
    Private: {
      'secret.txt': 'not for links',
      Team: { 'plan.txt': 'the plan', Inner: { 'deep.txt': 'deep' } },
    },
    Drop: {},
  });
});
afterAll(() => testApp.close());

const node = (name: string) => {
  const found = tree[name];
  if (!found) throw new Error(`no ${name}`);
  return found;
};

describe('making and managing links', () => {
  test('the owner makes a link with a high-entropy token that is stored hashed only', async () => {
    const link = await makeLink(node('Private/Team'), { role: 'viewer', label: 'for the team' });
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.url).toMatch(new RegExp(`/s/${link.token}$`));
    const row = await testApp.context.database.db
      .selectFrom('share_links')
      .selectAll()
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(link.token);
    const list = await inject('GET', `/api/nodes/${node('Private/Team').id}/links`, {
      headers: owner.headers,
    });
    expect(list.json<{ items: ShareLinkDto[] }>().items).toEqual([
      expect.objectContaining({
        id: link.id,
        role: 'viewer',
        label: 'for the team',
        hasPassword: false,
      }),
    ]);
    expect(JSON.stringify(list.json())).not.toContain(link.token);
  });

  test('only the owner makes, lists or revokes links: a stranger gets 404, nothing leaks', async () => {
    const link = await makeLink(node('Private/Team'), { role: 'viewer' });
    for (const response of [
      await inject('POST', `/api/nodes/${node('Private/Team').id}/links`, {
        headers: stranger.headers,
        payload: { role: 'viewer' },
      }),
      await inject('GET', `/api/nodes/${node('Private/Team').id}/links`, {
        headers: stranger.headers,
      }),
      await inject('DELETE', `/api/links/${link.id}`, { headers: stranger.headers }),
    ]) {
      expect(response.statusCode, response.body).toBe(404);
    }
    expect((await inject('GET', `/api/s/${link.token}`)).statusCode).toBe(200);
  });

  test('a drop box needs a folder; an expiry must be in the future', async () => {
    for (const body of [
      { node: node('Private/secret.txt'), payload: { role: 'uploader' } },
      { node: node('Drop'), payload: { role: 'viewer', expiresAt: '2001-01-01T00:00:00.000Z' } },
    ]) {
      const response = await inject('POST', `/api/nodes/${body.node.id}/links`, {
        headers: owner.headers,
        payload: body.payload,
      });
      expect(response.statusCode, response.body).toBe(400);
    }
  });
});

describe('a viewer link', () => {
  let link: CreatedLinkDto;
  beforeAll(async () => {
    link = await makeLink(node('Private/Team'), { role: 'viewer' });
  });

  test('opens the item, browses it, and shows nothing above it', async () => {
    const visit = (await inject('GET', `/api/s/${link.token}`)).json<LinkVisitDto>();
    expect(visit).toMatchObject({ role: 'viewer', unlocked: true, requiresPassword: false });
    expect(visit.node).toMatchObject({ id: node('Private/Team').id, name: 'Team', parentId: null });
    const children = await inject(
      'GET',
      `/api/s/${link.token}/folders/${node('Private/Team').id}/children`,
    );
    expect(children.json<{ items: NodeDto[] }>().items.map((item) => item.name)).toEqual([
      'Inner',
      'plan.txt',
    ]);
  });

  test('downloads as the REST download does: attachment, nosniff, sandbox', async () => {
    const response = await inject(
      'GET',
      `/api/s/${link.token}/files/${node('Private/Team/plan.txt').id}/content`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('the plan');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="plan.txt"/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain('sandbox');
  });

  test('downloads a folder inside as a zip', async () => {
    const response = await inject(
      'GET',
      `/api/s/${link.token}/folders/${node('Private/Team').id}/zip`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="Team.zip"/);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'link-zip-'));
    await fs.writeFile(path.join(dir, 'a.zip'), response.rawPayload);
    const listing = execFileSync('unzip', ['-Z1', path.join(dir, 'a.zip')], { encoding: 'utf8' });
    expect(listing.split('\n').filter(Boolean).sort()).toEqual([
      'Team/Inner/deep.txt',
      'Team/plan.txt',
    ]);
    await fs.rm(dir, { recursive: true });
  });

  test('never reaches outside its subtree: other ids, the parent, root, traversal', async () => {
    for (const url of [
      `/api/s/${link.token}/files/${node('Private/secret.txt').id}/content`,
      `/api/s/${link.token}/folders/${node('Private').id}/children`,
      `/api/s/${link.token}/folders/${node('Private').id}/zip`,
      `/api/s/${link.token}/folders/root/children`,
      `/api/s/${link.token}/folders/..%2F..%2F/children`,
      `/api/s/${link.token}/files/${node('Private/Team').id}/content`,
    ]) {
      const response = await inject('GET', url);
      expect(response.statusCode, url).toBe(404);
    }
  });

  test('cannot upload: 403 forbidden', async () => {
    const response = await dropInto(link.token, node('Private/Team').id);
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  test('opens no signed-in route: the API answers 401 to a visitor', async () => {
    for (const url of [
      `/api/folders/${node('Private/Team').id}/children`,
      `/api/files/${node('Private/Team/plan.txt').id}/content`,
      '/api/folders/root/children',
    ]) {
      expect((await inject('GET', url)).statusCode, url).toBe(401);
    }
  });

  test('counts accesses for the owner', async () => {
    const list = await inject('GET', `/api/nodes/${node('Private/Team').id}/links`, {
      headers: owner.headers,
    });
    const mine = list.json<{ items: ShareLinkDto[] }>().items.find((item) => item.id === link.id);
    expect(mine?.accessCount).toBeGreaterThanOrEqual(1);
    expect(mine?.downloadCount).toBeGreaterThanOrEqual(2);
    expect(mine?.lastAccessedAt).not.toBeNull();
  });
});

describe('a drop box link', () => {
  let link: CreatedLinkDto;
  beforeAll(async () => {
    link = await makeLink(node('Drop'), { role: 'uploader' });
  });

  test("uploads into the owner's folder and quota, and answers only how many arrived", async () => {
    const before = await inject('GET', '/api/usage', { headers: owner.headers });
    const response = await dropInto(link.token, node('Drop').id);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toEqual({ uploaded: 1 });
    const after = await inject('GET', '/api/usage', { headers: owner.headers });
    expect(after.json<{ usedBytes: number }>().usedBytes).toBe(
      before.json<{ usedBytes: number }>().usedBytes + 5,
    );
    const again = await dropInto(link.token, node('Drop').id);
    expect(again.statusCode).toBe(201);
    const list = await inject('GET', `/api/folders/${node('Drop').id}/children`, {
      headers: owner.headers,
    });
    expect(list.json<{ items: NodeDto[] }>().items.map((item) => item.name)).toEqual([
      'dropped (1).txt',
      'dropped.txt',
    ]);
  });

  test('several files with one bad name: 400 and none of them arrives', async () => {
    const listNames = async () =>
      (await inject('GET', `/api/folders/${node('Drop').id}/children`, { headers: owner.headers }))
        .json<{ items: NodeDto[] }>()
        .items.map((item) => item.name);
    const before = await listNames();
    const { payload, contentType } = multipartBody([
      { name: 'good.txt', content: 'good' },
      { name: '..', content: 'bad' },
    ]);
    const response = await testApp.app.inject({
      method: 'POST',
      url: `/api/s/${link.token}/folders/${node('Drop').id}/files`,
      headers: { 'content-type': contentType },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_request' } });
    expect(await listNames()).toEqual(before);
  });

  test('cannot list, read or zip: 403 forbidden', async () => {
    const file = (
      await inject('GET', `/api/folders/${node('Drop').id}/children`, { headers: owner.headers })
    ).json<{ items: NodeDto[] }>().items[0];
    for (const url of [
      `/api/s/${link.token}/folders/${node('Drop').id}/children`,
      `/api/s/${link.token}/folders/${node('Drop').id}/zip`,
      `/api/s/${link.token}/files/${file?.id ?? ''}/content`,
    ]) {
      const response = await inject('GET', url);
      expect(response.statusCode, url).toBe(403);
    }
  });

  test('a cross-site upload is refused (csrf_invalid)', async () => {
    const response = await dropInto(link.token, node('Drop').id, {
      'sec-fetch-site': 'cross-site',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'csrf_invalid' } });
  });
});

describe('a password-protected link', () => {
  const password = 'correct horse battery';
  let link: CreatedLinkDto;
  beforeAll(async () => {
    link = await makeLink(node('Private/Team'), { role: 'viewer', password });
  });

  test('stores an argon2id hash, shows nothing until unlocked, then acts with a link-scoped cookie', async () => {
    const row = await testApp.context.database.db
      .selectFrom('share_links')
      .select('password_hash')
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    const locked = (await inject('GET', `/api/s/${link.token}`)).json<LinkVisitDto>();
    expect(locked).toMatchObject({ requiresPassword: true, unlocked: false, node: null });
    const children = `/api/s/${link.token}/folders/${node('Private/Team').id}/children`;
    const refused = await inject('GET', children);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: { code: 'password_required' } });

    const wrong = await unlock(link.token, 'not the password');
    expect(wrong.response.statusCode).toBe(401);
    expect(wrong.response.headers['set-cookie']).toBeUndefined();

    const { response, headers } = await unlock(link.token, password);
    expect(response.statusCode, response.body).toBe(200);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`Path=/api/s/${link.token}`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    // The time left on the grant, counted after the slow password check: a second may pass.
    expect(setCookie).toMatch(/Max-Age=(3599|3600)(;|$)/);
    expect(
      (await inject('GET', children, { headers: { cookie: headers.cookie } })).statusCode,
    ).toBe(200);
  });

  test("the grant opens this link only: not another protected link, not the owner's API", async () => {
    const other = await makeLink(node('Private/Team'), { role: 'viewer', password });
    const { headers } = await unlock(link.token, password);
    const elsewhere = await inject(
      'GET',
      `/api/s/${other.token}/folders/${node('Private/Team').id}/children`,
      {
        headers: { cookie: headers.cookie },
      },
    );
    expect(elsewhere.statusCode).toBe(401);
    expect(
      (await inject('GET', `/api/folders/${node('Private/Team').id}/children`, { headers }))
        .statusCode,
    ).toBe(401);
  });

  test('a forged or altered grant opens nothing', async () => {
    const { headers } = await unlock(link.token, password);
    const [name = '', value = ''] = headers.cookie.split('=');
    const [kid, linkId, expires, mac = ''] = value.split('.');
    const children = `/api/s/${link.token}/folders/${node('Private/Team').id}/children`;
    const flipped = `${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    for (const forged of [
      `${kid}.${linkId}.${expires}.${flipped}`,
      `${kid}.${linkId}.${Number(expires) + 3600}.${mac}`,
    ]) {
      const response = await inject('GET', children, { headers: { cookie: `${name}=${forged}` } });
      expect(response.statusCode, forged).toBe(401);
    }
    expect(
      (await inject('GET', children, { headers: { cookie: headers.cookie } })).statusCode,
    ).toBe(200);
  });

  test('wrong passwords are throttled per link, and a right one is then refused too', async () => {
    const target = await makeLink(node('Private/Team'), { role: 'viewer', password });
    let last = 0;
    for (let attempt = 0; attempt <= LINK_UNLOCK_LIMITS.perLink.max; attempt++) {
      // A different address each time: the per-link counter is what stops it.
      last = (await unlock(target.token, `guess ${attempt}`, `203.0.113.${attempt + 1}`)).response
        .statusCode;
    }
    expect(last).toBe(429);
    const right = await unlock(target.token, password, '203.0.113.200');
    expect(right.response.statusCode).toBe(429);
    expect(right.response.headers['retry-after']).toBeDefined();
  });

  test('a protected drop box upload with the grant needs the CSRF token bound to it', async () => {
    const box = await makeLink(node('Drop'), { role: 'uploader', password });
    const { headers } = await unlock(box.token, password);
    const without = await dropInto(box.token, node('Drop').id, { cookie: headers.cookie });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ error: { code: 'csrf_invalid' } });
    const withToken = await dropInto(box.token, node('Drop').id, headers);
    expect(withToken.statusCode, withToken.body).toBe(201);
  });
});

describe('when a link stops working', () => {
  test('revoked: 410 link_expired on every route and on the page; the owner still lists it', async () => {
    const link = await makeLink(node('Private/Team'), { role: 'viewer' });
    const revoked = await inject('DELETE', `/api/links/${link.id}`, { headers: owner.headers });
    expect(revoked.json<ShareLinkDto>().revokedAt).not.toBeNull();
    for (const url of [
      `/api/s/${link.token}`,
      `/api/s/${link.token}/folders/${node('Private/Team').id}/children`,
      `/api/s/${link.token}/files/${node('Private/Team/plan.txt').id}/content`,
    ]) {
      const response = await inject('GET', url);
      expect(response.statusCode, url).toBe(410);
      expect(response.json()).toMatchObject({ error: { code: 'link_expired' } });
    }
    const page = await inject('GET', `/s/${link.token}`, { headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(410);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('This link has expired');
  });

  test('expired: 410', async () => {
    const link = await makeLink(node('Private/Team'), {
      role: 'viewer',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect((await inject('GET', `/api/s/${link.token}`)).statusCode).toBe(200);
    await testApp.context.database.db
      .updateTable('share_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', link.id)
      .execute();
    expect((await inject('GET', `/api/s/${link.token}`)).statusCode).toBe(410);
  });

  test('download limit reached: 410 and no more bytes', async () => {
    const link = await makeLink(node('Private/Team'), { role: 'viewer', downloadLimit: 1 });
    const url = `/api/s/${link.token}/files/${node('Private/Team/plan.txt').id}/content`;
    expect((await inject('GET', url)).statusCode).toBe(200);
    const second = await inject('GET', url);
    expect(second.statusCode).toBe(410);
    expect(second.body).not.toContain('the plan');
  });

  test('an unknown or malformed token is 404, as a page too', async () => {
    for (const token of ['x'.repeat(43), 'short', '..%2F..']) {
      expect((await inject('GET', `/api/s/${token}`)).statusCode, token).toBe(404);
    }
    expect((await inject('GET', `/s/${'y'.repeat(43)}`)).statusCode).toBe(404);
  });

  test('the item in the trash: 404 until restored', async () => {
    const fixtures = fixturesOf(testApp.context);
    const folder = await fixtures.newFolder(owner, { name: 'Soon trashed' });
    const link = await makeLink(folder, { role: 'viewer' });
    expect(
      (await inject('DELETE', `/api/folders/${folder.id}`, { headers: owner.headers })).statusCode,
    ).toBe(204);
    expect((await inject('GET', `/api/s/${link.token}`)).statusCode).toBe(404);
    const restored = await inject('POST', `/api/trash/${folder.id}/restore`, {
      headers: owner.headers,
    });
    expect(restored.statusCode, restored.body).toBe(200);
    expect((await inject('GET', `/api/s/${link.token}`)).statusCode).toBe(200);
  });
});
