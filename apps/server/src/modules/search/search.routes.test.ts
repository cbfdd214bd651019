import type { SearchPage } from '@myfile/contract';
import { sql } from 'kysely';
import { beforeAll, describe, expect, test } from 'vitest';
import { createPersonalToken } from '../auth/auth.test-utils.js';
import { useSearchTestApp } from './search.test-utils.js';

const { context, search, names } = useSearchTestApp();
beforeAll(async () => {
  const { fixtures, user, stranger } = context;
  await fixtures.newTree(user, {
    Photos: {
      'photo-sunset.jpg': 'a',
      Holidays: { 'SUNSET beach.png': 'bb', 'Été à Nice.txt': 'ccc' },
    },
    'sunset.md': 'dddd',
    'sunsets and more.txt': 'x'.repeat(2000),
    'report ＡＢＣ.txt': 'full width',
    'unrelated.txt': 'e',
  });
  await fixtures.newTree(stranger, { 'stranger sunset.jpg': 'z', 'Été secret.txt': 'z' });
}, 60_000);

describe('search by name', () => {
  test('finds a substring anywhere in a name, ranked exact, prefix, then inside', async () => {
    expect(await names('q=sunset')).toEqual([
      'sunset.md',
      'SUNSET beach.png',
      'sunsets and more.txt',
      'photo-sunset.jpg',
    ]);
    const page = await search('q=sunset');
    expect(page.total).toBe(4);
    expect(page.totalIsExact).toBe(true);
    expect(page.items[0]).toMatchObject({
      matchedBy: 'name',
      trashed: false,
      snippet: null,
      path: [],
    });
    expect(page.items[1]?.path.map((crumb) => crumb.name)).toEqual(['Photos', 'Holidays']);
  });

  test('forgives one typo (replaced, missing, extra or swapped letter), ranked after real matches', async () => {
    for (const typo of ['sunsat', 'sunst', 'sunseet', 'usnset', 'snuset']) {
      expect(await names(`q=${typo}`), typo).toEqual(
        expect.arrayContaining(['sunset.md', 'photo-sunset.jpg', 'SUNSET beach.png']),
      );
    }
    // Two edits away: nothing.
    expect(await names('q=sanset.mb')).toEqual([]);
    // A real substring outranks a typo match of the same query.
    expect(await names('q=beach')).toEqual(['SUNSET beach.png']);
    expect(await names('q=unrelatd')).toEqual(['unrelated.txt']);
  });

  test('compares case-folded and normalised names (NFC/NFD, NFKC compatibility forms)', async () => {
    expect(await names(`q=${encodeURIComponent('E\u0301TE\u0301 À')}`)).toEqual(['Été à Nice.txt']);
    expect(await names(`q=${encodeURIComponent('été')}`)).toEqual(['Été à Nice.txt']);
    expect(await names('q=abc')).toEqual(['report ＡＢＣ.txt']);
    expect(await names(`q=${encodeURIComponent('ＲＥＰＯＲＴ')}`)).toEqual(['report ＡＢＣ.txt']);
  });

  test('never returns another user’s files', async () => {
    const { testApp, user, stranger } = context;
    expect(await names('q=stranger')).toEqual([]);
    expect(await names(`q=${encodeURIComponent('secret')}`)).toEqual([]);
    expect(await names('q=sunset', stranger)).toEqual(['stranger sunset.jpg']);
    // The stranger's folder as a scope is a missing folder.
    const strangerRoot = await testApp.app.inject({
      method: 'GET',
      url: `/api/search?q=sunset&in=${stranger.rootId}`,
      headers: user.headers,
    });
    expect(strangerRoot.statusCode).toBe(404);
  });

  test('says which hits I starred, and only my own stars count', async () => {
    const { testApp, user, stranger } = context;
    const before = await search('q=sunset');
    const starredHit = before.items.find((item) => item.name === 'sunset.md');
    const otherHit = before.items.find((item) => item.name === 'photo-sunset.jpg');
    if (!starredHit || !otherHit) throw new Error('fixture hits missing');
    expect(before.items.every((item) => !item.starred)).toBe(true);
    const star = await testApp.app.inject({
      method: 'PUT',
      url: `/api/stars/${starredHit.id}`,
      headers: user.headers,
    });
    expect(star.statusCode).toBe(204);
    // Another account's star on my file (as a sharee could leave) is not mine.
    await testApp.context.database.db
      .insertInto('stars')
      .values({ user_id: stranger.userId, node_id: otherHit.id })
      .execute();
    const after = await search('q=sunset');
    expect(after.items.filter((item) => item.starred).map((item) => item.name)).toEqual([
      'sunset.md',
    ]);
    await testApp.app.inject({
      method: 'DELETE',
      url: `/api/stars/${starredHit.id}`,
      headers: user.headers,
    });
  });

  test('pages with a cursor through the ranked hits', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: SearchPage = await search(`q=sunset&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(1);
      expect(page.total).toBe(4);
      seen.push(...page.items.map((item) => item.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(await names('q=sunset'));
  });

  test('a cursor past the last hit gives an empty page that still knows the total', async () => {
    const all = await search('q=sunset&limit=4');
    const last = all.items.at(-1);
    expect(all.nextCursor).toBeNull();
    // The cursor the client would get if the last hit had one after it.
    const [lastRow] = (
      await sql<{ sort_key: string }>`select sort_key from nodes where id = ${last?.id}`.execute(
        context.testApp.context.database.db,
      )
    ).rows;
    const past = Buffer.from(JSON.stringify({ r: 2, s: lastRow?.sort_key, i: last?.id })).toString(
      'base64url',
    );
    const page = await search(`q=sunset&cursor=${past}`);
    expect(page.items).toEqual([]);
    expect(page.total).toBe(4);
  });

  test('a renamed file is found by its new name at once (the search key is written with it)', async () => {
    const { fixtures, user, testApp } = context;
    const file = await fixtures.newFile(user, { name: 'draft.txt', content: 'd' });
    const renamed = await testApp.app.inject({
      method: 'PATCH',
      url: `/api/files/${file.id}`,
      headers: user.headers,
      payload: { name: 'Ｍoonrise Ｐlan.txt' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await names('q=draft')).toEqual([]);
    expect(await names('q=moonrise%20plan')).toEqual(['Ｍoonrise Ｐlan.txt']);
  });

  test('filters by kind, size, modified time and folder', async () => {
    const { testApp } = context;
    expect(await names('q=photo&kind=folder')).toEqual(['Photos']);
    expect(await names('q=photo&kind=file')).toEqual(['photo-sunset.jpg']);
    expect(await names('q=sunset&minSize=2&maxSize=4')).toEqual(['sunset.md', 'SUNSET beach.png']);
    expect(await names('q=sunset&minSize=1000')).toEqual(['sunsets and more.txt']);
    const photos = (await search('q=photos&kind=folder')).items[0];
    expect(await names(`q=sunset&in=${photos?.id}`)).toEqual([
      'SUNSET beach.png',
      'photo-sunset.jpg',
    ]);
    expect(await names(`q=sunset&in=root`)).toHaveLength(4);
    const db = testApp.context.database.db;
    await sql`update nodes set updated_at = '2020-06-01T00:00:00Z' where name = 'sunset.md'`.execute(
      db,
    );
    expect(await names('q=sunset&modifiedBefore=2021-01-01T00:00:00Z')).toEqual(['sunset.md']);
    expect(await names('q=sunset&modifiedAfter=2021-01-01T00:00:00Z')).not.toContain('sunset.md');
  });

  test('leaves the trash out unless asked, and marks trashed hits', async () => {
    const { testApp, fixtures, user } = context;
    const file = await fixtures.newFile(user, { name: 'trashed sunset.log', content: 't' });
    const deleted = await testApp.app.inject({
      method: 'DELETE',
      url: `/api/files/${file.id}`,
      headers: user.headers,
    });
    expect(deleted.statusCode).toBe(204);
    expect(await names('q=sunset')).not.toContain('trashed sunset.log');
    const withTrash = await search('q=sunset&includeTrash=true');
    expect(withTrash.items.find((item) => item.name === 'trashed sunset.log')).toMatchObject({
      trashed: true,
    });
  });

  test('refuses malformed input with 400 and no 500', async () => {
    const { testApp, user } = context;
    const nulCursor = Buffer.from(
      JSON.stringify({ r: 0, s: 'r\u0000', i: '0190a000-0000-7000-8000-000000000000' }),
    ).toString('base64url');
    for (const query of [
      'q=%00',
      'q=a%00b',
      'q=',
      'q=r&cursor=bad',
      `q=r&cursor=${nulCursor}`,
      'q=a&kind=link',
      'q=a&minSize=-1',
      'q=a&modifiedAfter=yesterday',
      'q=a&includeTrash=yes',
    ]) {
      const response = await testApp.app.inject({
        method: 'GET',
        url: `/api/search?${query}`,
        headers: user.headers,
      });
      expect(response.statusCode, query).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'invalid_request' } });
    }
    // LIKE wildcards are literal characters.
    expect(await names('q=%25')).toEqual([]);
    expect(await names('q=_')).toEqual([]);
  });

  test('a read-only token can search but not write', async () => {
    const { testApp, user } = context;
    const token = await createPersonalToken(testApp.app, user, ['read']);
    const headers = { authorization: `Bearer ${token}` };
    expect(
      (await testApp.app.inject({ method: 'GET', url: '/api/search?q=a', headers })).statusCode,
    ).toBe(200);
    const write = await testApp.app.inject({
      method: 'POST',
      url: '/api/folders',
      headers,
      payload: { name: 'no' },
    });
    expect(write.statusCode).toBe(403);
  });
});
