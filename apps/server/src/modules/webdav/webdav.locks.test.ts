import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTwoTestApps, type TwoTestApps } from '../../test-support/two-apps.js';
import { createDavUser, davFetch, type DavServer, type DavUser } from './webdav.test-utils.js';

/**
 * Class 2: write locks held in the database. Two API instances share one database here, so a
 * lock taken through one is enforced by the other, as behind a load balancer.
 */
let apps: TwoTestApps;
let first: DavServer;
let second: DavServer;
let alice: DavUser;
let dav: ReturnType<typeof davFetch>;
let viaSecond: ReturnType<typeof davFetch>;

beforeAll(async () => {
  apps = await createTwoTestApps();
  first = { ...apps.first, origin: await apps.first.app.listen({ host: '127.0.0.1', port: 0 }) };
  second = { ...apps.second, origin: await apps.second.app.listen({ host: '127.0.0.1', port: 0 }) };
  alice = await createDavUser(first);
  dav = davFetch(first, alice);
  viaSecond = davFetch(second, alice);
});
afterAll(() => apps.close());

const lockinfo = (scope: 'exclusive' | 'shared') =>
  `<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:${scope}/></D:lockscope>` +
  `<D:locktype><D:write/></D:locktype><D:owner>tests</D:owner></D:lockinfo>`;

const lock = (
  path: string,
  scope: 'exclusive' | 'shared' = 'exclusive',
  headers: Record<string, string> = {},
) =>
  dav(path, {
    method: 'LOCK',
    headers: { 'content-type': 'application/xml', timeout: 'Second-600', ...headers },
    body: lockinfo(scope),
  });

const tokenOf = (response: Response) =>
  /^<(.+)>$/.exec(response.headers.get('lock-token') ?? '')?.[1] ?? '';

describe('LOCK and UNLOCK', () => {
  test('OPTIONS announces class 2 and the lock methods', async () => {
    const response = await fetch(`${first.origin}/dav/`, { method: 'OPTIONS' });
    expect(response.headers.get('dav')).toBe('1, 2');
    expect(response.headers.get('allow')).toContain('LOCK');
    expect(response.headers.get('allow')).toContain('UNLOCK');
  });

  test('an exclusive lock: 423 without the token on every instance, writes with it, gone after UNLOCK', async () => {
    await dav('/dav/locked.txt', { method: 'PUT', body: 'v1' });
    const granted = await lock('/dav/locked.txt');
    expect(granted.status).toBe(200);
    const token = tokenOf(granted);
    expect(token).toMatch(/^myfile-lock:/);
    const body = await granted.text();
    expect(body).toContain('<D:exclusive/>');
    expect(body).toContain(`<D:href>${token}</D:href>`);
    expect(body).toContain('<D:owner>tests</D:owner>');

    for (const as of [dav, viaSecond]) {
      const put = await as('/dav/locked.txt', { method: 'PUT', body: 'intruder' });
      expect(put.status).toBe(423);
      expect(await put.text()).toContain(
        '<D:lock-token-submitted><D:href>/dav/locked.txt</D:href></D:lock-token-submitted>',
      );
      expect((await as('/dav/locked.txt', { method: 'DELETE' })).status).toBe(423);
      const move = await as('/dav/locked.txt', {
        method: 'MOVE',
        headers: { destination: '/dav/elsewhere.txt' },
      });
      expect(move.status).toBe(423);
    }
    expect(await (await dav('/dav/locked.txt')).text()).toBe('v1');

    // Another token, even a well-formed one of the same user, is not this lock's token.
    const other = await lock('/dav/other.txt');
    const wrong = await dav('/dav/locked.txt', {
      method: 'PUT',
      body: 'wrong token',
      headers: { if: `(<${tokenOf(other)}>)` },
    });
    expect(wrong.status).toBe(412);

    const owner = await viaSecond('/dav/locked.txt', {
      method: 'PUT',
      body: 'v2',
      headers: { if: `(<${token}>)` },
    });
    expect(owner.status).toBe(204);

    const again = await viaSecond('/dav/locked.txt', {
      method: 'LOCK',
      headers: { 'content-type': 'application/xml' },
      body: lockinfo('shared'),
    });
    expect(again.status).toBe(423);

    const bogus = await dav('/dav/locked.txt', {
      method: 'UNLOCK',
      headers: { 'lock-token': '<myfile-lock:nothing>' },
    });
    expect(bogus.status).toBe(409);
    const unlocked = await viaSecond('/dav/locked.txt', {
      method: 'UNLOCK',
      headers: { 'lock-token': `<${token}>` },
    });
    expect(unlocked.status).toBe(204);
    expect((await dav('/dav/locked.txt', { method: 'PUT', body: 'v3' })).status).toBe(204);
  });

  test('shared locks coexist; an exclusive one then waits for all of them', async () => {
    await dav('/dav/shared.txt', { method: 'PUT', body: 's' });
    const one = await lock('/dav/shared.txt', 'shared');
    const two = await lock('/dav/shared.txt', 'shared');
    expect([one.status, two.status]).toEqual([200, 200]);
    expect((await lock('/dav/shared.txt', 'exclusive')).status).toBe(423);
    // Either holder writes with its own token.
    const put = await dav('/dav/shared.txt', {
      method: 'PUT',
      body: 't',
      headers: { if: `(<${tokenOf(two)}>)` },
    });
    expect(put.status).toBe(204);
    const discovery = await dav('/dav/shared.txt', {
      method: 'PROPFIND',
      headers: { depth: '0' },
      body: '<D:propfind xmlns:D="DAV:"><D:prop><D:lockdiscovery/></D:prop></D:propfind>',
    });
    expect((await discovery.text()).match(/<D:activelock>/g)).toHaveLength(2);
  });

  test('a depth-infinity lock on a folder guards its members and new names in it', async () => {
    await dav('/dav/Team', { method: 'MKCOL' });
    await dav('/dav/Team/in.txt', { method: 'PUT', body: 'in' });
    const granted = await lock('/dav/Team/', 'exclusive', { depth: 'infinity' });
    const token = tokenOf(granted);
    expect((await dav('/dav/Team/in.txt', { method: 'PUT', body: 'x' })).status).toBe(423);
    expect((await dav('/dav/Team/new.txt', { method: 'PUT', body: 'x' })).status).toBe(423);
    expect((await dav('/dav/Team/sub', { method: 'MKCOL' })).status).toBe(423);
    expect((await dav('/dav/Team', { method: 'DELETE' })).status).toBe(423);
    const tagged = await dav('/dav/Team/new.txt', {
      method: 'PUT',
      body: 'x',
      headers: { if: `<${first.origin}/dav/Team/> (<${token}>)` },
    });
    expect(tagged.status).toBe(201);
    // A lock on a member blocks deleting the folder above it, even for the folder's owner.
    await dav('/dav/Outer', { method: 'MKCOL' });
    await dav('/dav/Outer/deep.txt', { method: 'PUT', body: 'd' });
    expect((await lock('/dav/Outer/deep.txt')).status).toBe(200);
    const above = await dav('/dav/Outer', { method: 'DELETE' });
    expect(above.status).toBe(423);
    expect(await above.text()).toContain('<D:href>/dav/Outer/deep.txt</D:href>');
  });

  test('LOCK on a name where nothing exists creates an empty file (201)', async () => {
    const granted = await lock('/dav/fresh.txt');
    expect(granted.status).toBe(201);
    const head = await dav('/dav/fresh.txt', { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('0');
  });

  test('a lock expires on the database clock; a refresh extends it', async () => {
    await dav('/dav/brief.txt', { method: 'PUT', body: 'b' });
    const granted = await lock('/dav/brief.txt', 'exclusive', { timeout: 'Second-1' });
    expect(await granted.text()).toContain('<D:timeout>Second-1</D:timeout>');
    const refreshed = await dav('/dav/brief.txt', {
      method: 'LOCK',
      headers: { if: `(<${tokenOf(granted)}>)`, timeout: 'Second-2' },
    });
    expect(refreshed.status).toBe(200);
    expect(await refreshed.text()).toContain('<D:timeout>Second-2</D:timeout>');
    expect((await dav('/dav/brief.txt', { method: 'PUT', body: 'c' })).status).toBe(423);
    await new Promise((resolve) => setTimeout(resolve, 2200));
    expect((await dav('/dav/brief.txt', { method: 'PUT', body: 'c' })).status).toBe(204);
  });

  test('a malformed If header is 400; one that matches nothing is 412', async () => {
    await dav('/dav/cond.txt', { method: 'PUT', body: 'c' });
    expect((await dav('/dav/cond.txt', { headers: { if: '(<unterminated' } })).status).toBe(400);
    const none = await dav('/dav/cond.txt', {
      method: 'PUT',
      body: 'd',
      headers: { if: '(<DAV:no-lock>)' },
    });
    expect(none.status).toBe(412);
  });
});
