import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { fixturesOf, type Fixtures } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { listAll, uploadFiles, type TestUser } from '../nodes/nodes.test-utils.js';
import { FolderModel, type ModelNode, type Outcome } from './folders.model.test-utils.js';

/**
 * Random sequences of folder operations run against the real server and against the plain
 * model beside this file; after every step the tree (names, kinds, sizes, hashes, states), the
 * trash and the usage must match. fast-check shrinks a failing sequence to a short one and
 * prints how to replay it (FC_SEED and FC_PATH).
 */
const NUM_RUNS = Number(process.env.FC_RUNS ?? 30);
const MAX_COMMANDS = 40;

type Real = { testApp: TestApp; user: TestUser; rootId: string };

// Few names, clashing by case and by copy suffix, so conflicts happen often.
const NAMES = ['a', 'A', 'b', 'a.txt', 'A.TXT', 'a (1).txt', 'c.bin'];
const CONTENTS = [Buffer.alloc(0), Buffer.from('x'), randomBytes(1000), randomBytes(70_000)];
const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const name = fc.constantFrom(...NAMES);
const pick = fc.nat({ max: 1000 });
const choose = <T>(list: T[], index: number): T | undefined => list[index % list.length];

const inject = (
  real: Real,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
) =>
  real.testApp.app.inject({
    method,
    url,
    headers: real.user.headers,
    ...(payload ? { payload } : {}),
  });

const expectOutcome = (response: LightMyRequestResponse, expected: Outcome) => {
  if (expected.ok) {
    expect(response.statusCode, response.body).toBeLessThan(300);
    return;
  }
  expect({ status: response.statusCode, code: response.json<ErrorShape>().error.code }).toEqual({
    status: expected.status,
    code: expected.code,
  });
};
type ErrorShape = { error: { code: string } };

const fromDto = (dto: NodeDto, sha256: string | null = dto.sha256): ModelNode => ({
  id: dto.id,
  name: dto.name,
  parentId: dto.parentId,
  isFolder: dto.kind === 'folder',
  size: dto.size,
  sha256,
  state: 'hot',
  trashedWith: null,
  trashPath: null,
});

type FolderCommand = fc.AsyncCommand<FolderModel, Real>;

/** One operation: `run` resolves its targets from indexes, so shrinking keeps commands valid. */
const command = (
  label: string,
  run: (model: FolderModel, real: Real) => Promise<void>,
): FolderCommand => ({
  check: () => true,
  run: async (model, real) => {
    await run(model, real);
    await expectSameState(model, real);
  },
  toString: () => label,
});

const createFolder = fc.tuple(pick, name).map(([at, folderName]) =>
  command(`createFolder(#${at}, ${folderName})`, async (model, real) => {
    const parent = choose(model.liveFolders(), at);
    if (!parent) return;
    const expected = model.expectCreateFolder(parent.id, folderName);
    const response = await inject(real, 'POST', '/api/folders', {
      name: folderName,
      parentId: parent.id,
    });
    expectOutcome(response, expected);
    if (expected.ok) {
      const created = fromDto(response.json<NodeDto>());
      model.nodes.set(created.id, created);
    }
  }),
);

const upload = fc
  .tuple(pick, name, fc.nat({ max: CONTENTS.length - 1 }), fc.constantFrom(...uploadModes()))
  .map(([at, fileName, contentIndex, mode]) =>
    command(`upload(#${at}, ${fileName}, ${contentIndex}, ${mode})`, async (model, real) => {
      const parent = choose(model.liveFolders(), at);
      const content = CONTENTS[contentIndex] ?? Buffer.alloc(0);
      if (!parent) return;
      const expected = model.expectUpload(parent.id, fileName, mode);
      const existing = model.sibling(parent.id, fileName);
      const response = await uploadFiles(real.testApp.app, real.user, {
        folderId: parent.id,
        files: [{ name: fileName, content }],
        onConflict: mode,
      });
      expectOutcome(response, expected);
      if (!expected.ok) return;
      const [stored] = response.json<{ files: NodeDto[] }>().files;
      if (!stored) throw new Error('The upload answered no file.');
      expect(stored.sha256).toBe(sha256Of(content));
      if (mode === 'replace' && existing) {
        expect(stored.id).toBe(existing.id);
        model.versionBytes.set(
          existing.id,
          (model.versionBytes.get(existing.id) ?? 0) + existing.size,
        );
        Object.assign(existing, { size: content.length, sha256: sha256Of(content) });
        return;
      }
      const wanted = mode === 'rename' ? model.freeName(parent.id, fileName) : fileName;
      expect(stored.name).toBe(wanted);
      model.nodes.set(stored.id, fromDto(stored));
    }),
  );

function uploadModes() {
  return ['rename', 'fail', 'replace'] as const;
}

const routeOf = (node: ModelNode) => (node.isFolder ? 'folders' : 'files');

const rename = fc.tuple(pick, name).map(([at, newName]) =>
  command(`rename(#${at}, ${newName})`, async (model, real) => {
    const node = choose(model.liveNonRoot(), at);
    if (!node || !node.parentId) return;
    const expected = model.expectRenameOrMove(node.id, { name: newName, parentId: node.parentId });
    const response = await inject(real, 'PATCH', `/api/${routeOf(node)}/${node.id}`, {
      name: newName,
    });
    expectOutcome(response, expected);
    if (expected.ok) node.name = newName;
  }),
);

const move = fc.tuple(pick, pick).map(([at, to]) =>
  command(`move(#${at} → #${to})`, async (model, real) => {
    const node = choose(model.liveNonRoot(), at);
    const target = choose(model.liveFolders(), to);
    if (!node || !target) return;
    const expected = model.expectRenameOrMove(node.id, { name: node.name, parentId: target.id });
    const response = await inject(real, 'PATCH', `/api/${routeOf(node)}/${node.id}`, {
      parentId: target.id,
    });
    expectOutcome(response, expected);
    if (expected.ok) node.parentId = target.id;
  }),
);

const copy = fc.tuple(pick, pick).map(([at, to]) =>
  command(`copy(#${at} → #${to})`, async (model, real) => {
    const file = choose(model.liveFiles(), at);
    const target = choose(model.liveFolders(), to);
    if (!file || !target) return;
    const expected = model.expectCopy(file.id, target.id);
    const response = await inject(real, 'POST', `/api/files/${file.id}/copy`, {
      targetFolderId: target.id,
    });
    expectOutcome(response, expected);
    if (!expected.ok) return;
    const created = response.json<NodeDto>();
    expect(created.name).toBe(model.freeName(target.id, file.name));
    model.nodes.set(created.id, fromDto(created));
  }),
);

const trash = fc.tuple(pick, fc.boolean()).map(([at, recursive]) =>
  command(`trash(#${at}, recursive=${recursive})`, async (model, real) => {
    const node = choose(model.liveNonRoot(), at);
    if (!node) return;
    const expected = model.expectTrash(node.id, recursive);
    const query = node.isFolder ? `?recursive=${recursive}` : '';
    const response = await inject(real, 'DELETE', `/api/${routeOf(node)}/${node.id}${query}`);
    expectOutcome(response, expected);
    if (expected.ok) model.trash(node.id);
  }),
);

const restoreFromTrash = pick.map((at) =>
  command(`restoreFromTrash(#${at})`, async (model, real) => {
    const item = choose(model.trashItems(), at);
    if (!item) return;
    const target = model.restoreTarget(item.id);
    const response = await inject(real, 'POST', `/api/trash/${item.id}/restore`);
    expectOutcome(response, target.outcome);
    if (!target.outcome.ok || !target.parentId) return;
    // Folders of the remembered path made again: found by name, under the model's rules.
    let parentId = target.parentId;
    for (const [depth, folderName] of target.toCreate.entries()) {
      const wanted = depth === 0 ? model.freeName(parentId, folderName) : folderName;
      const children = await listAll(real.testApp.app, real.user, { folderId: parentId });
      const made = children.find((child) => child.name === wanted && child.kind === 'folder');
      if (!made) throw new Error(`The restore did not make folder "${wanted}".`);
      model.nodes.set(made.id, fromDto(made));
      parentId = made.id;
    }
    const restored = response.json<NodeDto>();
    expect(restored.parentId).toBe(parentId);
    expect(restored.name).toBe(model.freeName(parentId, item.name));
    model.untrash(item.id, parentId, restored.name);
  }),
);

const purge = pick.map((at) =>
  command(`purge(#${at})`, async (model, real) => {
    const item = choose(model.trashItems(), at);
    if (!item) return;
    const response = await inject(real, 'DELETE', `/api/trash/${item.id}`);
    expectOutcome(response, { ok: true });
    model.purge(item.id);
  }),
);

const archive = pick.map((at) =>
  command(`archive(#${at})`, async (model, real) => {
    const folder = choose(
      model.liveFolders().filter((node) => node.id !== model.rootId),
      at,
    );
    if (!folder) return;
    const expected = model.expectArchive(folder.id);
    const response = await inject(real, 'POST', `/api/folders/${folder.id}/archive`);
    expectOutcome(response, expected);
    if (!expected.ok) return;
    await runQueuedJobs(real.testApp.context);
    model.setSubtreeState(folder.id, 'archived');
  }),
);

const restoreFromArchive = pick.map((at) =>
  command(`restoreFromArchive(#${at})`, async (model, real) => {
    const folder = choose(
      model.liveFolders().filter((node) => node.id !== model.rootId),
      at,
    );
    if (!folder) return;
    const top = model.archivedTop(folder.id);
    const response = await inject(real, 'POST', `/api/folders/${folder.id}/restore`, {});
    expectOutcome(response, top ? { ok: true } : { ok: false, status: 409, code: 'conflict' });
    if (!top) return;
    await runQueuedJobs(real.testApp.context);
    model.setSubtreeState(top, 'hot');
  }),
);

// Makers weigh more, so trees grow deep enough for moves, trash and archives to matter.
const allCommands = [
  createFolder,
  createFolder,
  createFolder,
  upload,
  upload,
  upload,
  rename,
  move,
  copy,
  trash,
  restoreFromTrash,
  purge,
  archive,
  archive,
  restoreFromArchive,
];

/** The server's tree, trash and usage, compared field by field with the model's. */
const expectSameState = async (model: FolderModel, real: Real) => {
  const tree: Record<string, unknown>[] = [];
  const walk = async (folderId: string) => {
    for (const child of await listAll(real.testApp.app, real.user, { folderId })) {
      tree.push({
        id: child.id,
        parentId: child.parentId,
        name: child.name,
        isFolder: child.kind === 'folder',
        size: child.size,
        sha256: child.kind === 'folder' ? null : child.sha256,
        state: child.storageState,
      });
      if (child.kind === 'folder') await walk(child.id);
    }
  };
  await walk(real.rootId);
  const expectedTree = model.liveNonRoot().map((node) => ({
    id: node.id,
    parentId: node.parentId,
    name: node.name,
    isFolder: node.isFolder,
    size: node.isFolder ? 0 : node.size,
    sha256: node.isFolder ? null : node.sha256,
    state: node.state,
  }));
  const byId = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    String(a.id).localeCompare(String(b.id));
  expect(tree.sort(byId)).toEqual(expectedTree.sort(byId));

  const trashed = (await inject(real, 'GET', '/api/trash?limit=100')).json<{
    items: (NodeDto & { originalPath: string[] })[];
  }>().items;
  expect(
    trashed.map((item) => ({ id: item.id, name: item.name, path: item.originalPath })).sort(byId),
  ).toEqual(
    model
      .trashItems()
      .map((item) => ({ id: item.id, name: item.name, path: item.trashPath }))
      .sort(byId),
  );

  const usage = (await inject(real, 'GET', '/api/usage')).json<Record<string, number>>();
  expect({
    usedBytes: usage.usedBytes,
    fileCount: usage.fileCount,
    trashBytes: usage.trashBytes,
  }).toEqual(model.usage());
};

let testApp: TestApp;
let fixtures: Fixtures;
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
});
afterAll(() => testApp.close());

test('a trash item whose folders are gone is not restored into an archived folder', async () => {
  const user = await fixtures.newUser();
  const real: Real = { testApp, user, rootId: user.rootId };
  const a = (await inject(real, 'POST', '/api/folders', { name: 'A' })).json<NodeDto>();
  const b = (
    await inject(real, 'POST', '/api/folders', { name: 'B', parentId: a.id })
  ).json<NodeDto>();
  const [file] = (
    await uploadFiles(testApp.app, user, { folderId: b.id, files: [{ name: 'f', content: 'x' }] })
  ).json<{ files: NodeDto[] }>().files;
  expect((await inject(real, 'DELETE', `/api/files/${file?.id ?? ''}`)).statusCode).toBe(204);
  expect((await inject(real, 'DELETE', `/api/folders/${b.id}?recursive=true`)).statusCode).toBe(
    204,
  );
  expect((await inject(real, 'POST', `/api/folders/${a.id}/archive`)).statusCode).toBe(202);
  await runQueuedJobs(testApp.context);
  const restored = await inject(real, 'POST', `/api/trash/${file?.id ?? ''}/restore`);
  expect(restored.json<ErrorShape>().error.code).toBe('folder_archived');
  expect(await listAll(testApp.app, user, { folderId: a.id })).toEqual([]);
});

test('folder operations keep the tree, names, trash and usage the model predicts', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.commands(allCommands, { maxCommands: MAX_COMMANDS, size: 'max' }),
      async (commands) => {
        const user = await fixtures.newUser();
        const real: Real = { testApp, user, rootId: user.rootId };
        await fc.asyncModelRun(() => ({ model: new FolderModel(user.rootId), real }), commands);
      },
    ),
    {
      numRuns: NUM_RUNS,
      ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
      ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
      endOnFailure: false,
    },
  );
}, 600_000);
