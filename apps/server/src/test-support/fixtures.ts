import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { uuidv7 } from 'uuidv7';
import type { AppContext } from '../app/app-context.js';
import { userActor } from '../modules/access/access.models.js';
import { insertUser } from '../modules/auth/accounts/users.repository.js';
import { createAuthDeps } from '../modules/auth/auth.deps.js';
import type { SignedInUser } from '../modules/auth/auth.test-utils.js';
import { cookieHeaderOf } from '../modules/auth/auth.test-utils.js';
import { hashPassword } from '../modules/auth/passwords/passwords.models.js';
import { startSession } from '../modules/auth/sessions/sessions.usecases.js';
import { createFolder } from '../modules/folders/folders.usecases.js';
import { toNodeDto, type NodeDto } from '../modules/nodes/nodes.models.js';
import { ensureUserSpace, toFilesDeps } from '../modules/nodes/nodes.usecases.js';
import { uploadFile } from '../modules/uploads/uploads.usecases.js';
import { insertStorageUsageIfMissing } from '../modules/usage/usage.repository.js';

/** A signed-in browser of a fixture user, and the user's root folder. */
export type FixtureUser = SignedInUser & { sessionId: string; rootId: string };

/** Folders are objects, files are their content: `{ Projects: { 'a.txt': 'hi', Empty: {} } }`. */
export type TreeSpec = { [name: string]: TreeSpec | string | Buffer };

/** Every fixture user's password: hashed once per test file, and still good for the login route. */
export const FIXTURE_PASSWORD = 'fixture password 8f3a61c2';
let fixturePasswordHash: Promise<string> | undefined;

const FIXTURE_ORIGIN = { ip: '198.18.0.1', userAgent: 'fixtures' };

/**
 * Users, sessions and trees made straight in a test app's database, through the repositories
 * and use cases the routes call, so every invariant holds (a usage row and a root folder per
 * user, quota charged per file, names unique per folder, blobs in the store). For tests that
 * need "a signed-in user with a folder" and are not about signing up: no argon2 hash per user,
 * no HTTP round trips. The sign-up and sign-in routes keep their own tests.
 */
export const fixturesOf = (context: AppContext) => {
  const auth = createAuthDeps(context);
  const files = toFilesDeps(context);

  /** Another signed-in browser for `user`: a fresh session, access and refresh cookies, CSRF token. */
  const newSession = async (user: {
    userId: string;
    email: string;
    rootId: string;
  }): Promise<FixtureUser> => {
    const session = await startSession({
      ...auth,
      userId: user.userId,
      origin: FIXTURE_ORIGIN,
    });
    const cookieHeader = cookieHeaderOf({
      [auth.cookies.names.access]: session.accessToken,
      ...(session.refresh ? { [auth.cookies.names.refresh]: session.refresh.token } : {}),
    });
    return {
      ...user,
      password: FIXTURE_PASSWORD,
      sessionId: session.sessionId,
      cookieHeader,
      csrfToken: session.csrfToken,
      headers: { cookie: cookieHeader, 'x-csrf-token': session.csrfToken },
    };
  };

  /** A verified account with its usage row (quota `quotaBytes`, else the app's default) and root. */
  const newUser = async ({
    email = `user-${randomBytes(6).toString('hex')}@example.com`,
    quotaBytes = files.settings.defaultQuotaBytes,
  }: { email?: string; quotaBytes?: number } = {}): Promise<FixtureUser> => {
    fixturePasswordHash ??= hashPassword(FIXTURE_PASSWORD);
    const user = await insertUser(auth.db, {
      id: uuidv7(),
      email,
      passwordHash: await fixturePasswordHash,
      verifiedAt: new Date(),
    });
    if (!user) throw new Error(`fixture: ${email} is taken`);
    await insertStorageUsageIfMissing(files.db, { userId: user.id, quotaBytes });
    const root = await ensureUserSpace({ ...files, ownerId: user.id });
    return newSession({ userId: user.id, email: user.email, rootId: root.id });
  };

  const newFolder = async (
    user: Pick<FixtureUser, 'userId' | 'rootId'>,
    { name, parentId = user.rootId }: { name: string; parentId?: string },
  ): Promise<NodeDto> =>
    toNodeDto(await createFolder({ ...files, actor: userActor(user.userId), parentId, name }));

  /** Written to the store and charged to the quota like an upload; its type is sniffed. */
  const newFile = async (
    user: Pick<FixtureUser, 'userId' | 'rootId'>,
    {
      name,
      content,
      folderId = user.rootId,
    }: { name: string; content: string | Buffer; folderId?: string },
  ): Promise<NodeDto> =>
    toNodeDto(
      await uploadFile({
        ...files,
        actor: userActor(user.userId),
        folderId,
        name,
        onConflict: 'fail',
        body: Readable.from([Buffer.from(content)]),
      }),
    );

  /** The nodes of `spec` under `parentId`, by slash-separated path (`Projects/a.txt`). */
  const newTree = async (
    user: Pick<FixtureUser, 'userId' | 'rootId'>,
    spec: TreeSpec,
    { parentId = user.rootId }: { parentId?: string } = {},
  ): Promise<Record<string, NodeDto>> => {
    const made: Record<string, NodeDto> = {};
    for (const [name, entry] of Object.entries(spec)) {
      if (typeof entry === 'string' || Buffer.isBuffer(entry)) {
        made[name] = await newFile(user, { name, content: entry, folderId: parentId });
        continue;
      }
      const folder = await newFolder(user, { name, parentId });
      made[name] = folder;
      const below = await newTree(user, entry, { parentId: folder.id });
      for (const [path, node] of Object.entries(below)) made[`${name}/${path}`] = node;
    }
    return made;
  };

  return { newUser, newSession, newFolder, newFile, newTree };
};

/** What `fixturesOf` hands a test. */
export type Fixtures = ReturnType<typeof fixturesOf>;
