import type { DomainEvent } from '@myfile/contract';
import type { RootOperationNode } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { ownerSharesNothingIn } from '../nodes/nodes.models.js';
import { uploadOne } from '../nodes/nodes.test-utils.js';
import { watchersOf } from './watchers.repository.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());

const shareAsViewer = async (owner: FixtureUser, nodeId: string, email: string) => {
  const made = await testApp.app.inject({
    method: 'POST',
    url: `/api/nodes/${nodeId}/shares`,
    headers: owner.headers,
    payload: { email, role: 'viewer' },
  });
  expect(made.statusCode).toBe(201);
};

/** A viewer link on `nodeId`; its id. */
const viewerLink = async (owner: FixtureUser, nodeId: string) => {
  const made = await testApp.app.inject({
    method: 'POST',
    url: `/api/nodes/${nodeId}/links`,
    headers: owner.headers,
    payload: { role: 'viewer' },
  });
  expect(made.statusCode).toBe(201);
  return made.json<{ id: string }>().id;
};

/** Every statement `db` runs that `counts`, seen as Kysely sends it. */
const countingStatements = (counts: (node: RootOperationNode) => boolean = () => true) => {
  const statements: string[] = [];
  const db = testApp.context.database.db.withPlugin({
    transformQuery: (args) => {
      if (counts(args.node)) statements.push(args.queryId.queryId);
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  });
  return { db, statements };
};

/** The walks up the tree `db` runs. */
const countingWalks = () => {
  const { db, statements } = countingStatements(
    (node) => node.kind === 'RawNode' && node.sqlFragments.join('').includes('recursive'),
  );
  return { db, walks: statements };
};

const folderEvent = (ownerId: string, folder: { id: string; parentId: string }): DomainEvent => ({
  type: 'folder.updated',
  userId: ownerId,
  at: new Date().toISOString(),
  folder: { ...folder, name: 'Inner', size: 0, contentType: null },
});

test('an event is looked up once however many listeners ask, each event on its own', async () => {
  const fixtures = fixturesOf(testApp.context);
  const owner = await fixtures.newUser();
  const sharee = await fixtures.newUser();
  const tree = await fixtures.newTree(owner, { Shared: { Inner: {} } });
  const shared = tree.Shared;
  const inner = tree['Shared/Inner'];
  if (!shared || !inner) throw new Error('no tree');
  await shareAsViewer(owner, shared.id, sharee.email);
  const watchers = watchersOf(testApp.context.database.db);
  const event = () => folderEvent(owner.userId, { id: inner.id, parentId: shared.id });
  const first = event();
  const asked = watchers(first);
  expect(watchers(first)).toBe(asked);
  expect((await asked).grantees).toEqual([sharee.userId]);
  expect(watchers(event())).not.toBe(asked);
});

test('an owner who shares nothing costs no walk up the tree', async () => {
  const fixtures = fixturesOf(testApp.context);
  const owner = await fixtures.newUser();
  const tree = await fixtures.newTree(owner, { Mine: { Inner: {} } });
  const mine = tree.Mine;
  const inner = tree['Mine/Inner'];
  if (!mine || !inner) throw new Error('no tree');
  const { db, walks } = countingWalks();
  const found = await watchersOf(db)(
    folderEvent(owner.userId, { id: inner.id, parentId: mine.id }),
  );
  expect(found).toEqual({ grantees: [], linksNow: [], linksBefore: [] });
  expect(walks).toEqual([]);
});

test('an owner with only a viewer link is walked for, and the link found above the node', async () => {
  const fixtures = fixturesOf(testApp.context);
  const owner = await fixtures.newUser();
  const tree = await fixtures.newTree(owner, { Linked: { Inner: {} } });
  const linked = tree.Linked;
  const inner = tree['Linked/Inner'];
  if (!linked || !inner) throw new Error('no tree');
  const linkId = await viewerLink(owner, linked.id);
  const { db, walks } = countingWalks();
  const found = await watchersOf(db)(
    folderEvent(owner.userId, { id: inner.id, parentId: linked.id }),
  );
  expect(found.linksNow.map((link) => link.id)).toEqual([linkId]);
  expect(walks).toHaveLength(1);
});

/** The event an upload publishes, and what the fan-out's lookup finds for it. */
const uploadWatched = async (user: FixtureUser, name: string, parentId?: string) => {
  const events: DomainEvent[] = [];
  const unsubscribe = testApp.context.events.subscribe((event) => {
    events.push(event);
  });
  try {
    await uploadOne(testApp.app, user, {
      name,
      content: Buffer.from('bytes'),
      ...(parentId ? { folderId: parentId } : {}),
    });
  } finally {
    unsubscribe();
  }
  const event = events.find((each) => each.type === 'file.created');
  if (!event) throw new Error('no file.created event');
  return { event, watchers: await watchersOf(testApp.context.database.db)(event) };
};

test('an upload by an owner who shares nothing costs its event no lookup: its insert said so', async () => {
  const owner = await fixturesOf(testApp.context).newUser();
  const { event, watchers } = await uploadWatched(owner, 'alone.bin');
  expect(ownerSharesNothingIn(event)).toBe(true);
  expect(watchers).toEqual({ grantees: [], linksNow: [], linksBefore: [] });
  const hinted = countingStatements();
  await watchersOf(hinted.db)(event);
  expect(hinted.statements).toEqual([]);
  // Sent through Redis to another process, the event arrives without the mark: asked there.
  const elsewhere = countingStatements();
  const parsed = JSON.parse(JSON.stringify(event)) as DomainEvent;
  expect(ownerSharesNothingIn(parsed)).toBe(false);
  expect(await watchersOf(elsewhere.db)(parsed)).toEqual(watchers);
  expect(elsewhere.statements).toHaveLength(1);
});

test("an upload by an owner who shares is looked up, and reaches the sharee and the link's visitors", async () => {
  const fixtures = fixturesOf(testApp.context);
  const owner = await fixtures.newUser();
  const sharee = await fixtures.newUser();
  const tree = await fixtures.newTree(owner, { Shared: {} });
  const shared = tree.Shared;
  if (!shared) throw new Error('no tree');
  await shareAsViewer(owner, shared.id, sharee.email);
  const intoShare = await uploadWatched(owner, 'for the sharee.bin', shared.id);
  expect(ownerSharesNothingIn(intoShare.event)).toBe(false);
  expect(intoShare.watchers.grantees).toEqual([sharee.userId]);

  // A viewer link alone counts as sharing too.
  const linkOwner = await fixtures.newUser();
  const linkTree = await fixtures.newTree(linkOwner, { Linked: {} });
  const linkFolder = linkTree.Linked;
  if (!linkFolder) throw new Error('no tree');
  const linkId = await viewerLink(linkOwner, linkFolder.id);
  const intoLink = await uploadWatched(linkOwner, 'for visitors.bin', linkFolder.id);
  expect(ownerSharesNothingIn(intoLink.event)).toBe(false);
  expect(intoLink.watchers.linksNow.map((each) => each.id)).toEqual([linkId]);
});
