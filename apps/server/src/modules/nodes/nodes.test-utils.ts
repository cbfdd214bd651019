import { randomBytes } from 'node:crypto';
import type { App } from '../../app/server.js';
import { signUpAndSignIn, type SignedInUser } from '../auth/auth.test-utils.js';
import type { NodeDto } from './nodes.models.js';

export type TestUser = SignedInUser;

export const signUp = (app: App) => signUpAndSignIn(app);

/** A multipart/form-data body with one part per file, as a browser would send it. */
export const multipartBody = (
  files: { name: string; content: Buffer | string; type?: string }[],
) => {
  const boundary = `----myfile${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"\r\n` +
          `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
};

export const uploadFiles = async (
  app: App,
  user: Pick<TestUser, 'headers'>,
  {
    folderId = 'root',
    files,
    onConflict,
  }: {
    folderId?: string;
    files: { name: string; content: Buffer | string; type?: string }[];
    onConflict?: 'rename' | 'fail' | 'replace';
  },
) => {
  const { payload, contentType } = multipartBody(files);
  return app.inject({
    method: 'POST',
    url: `/api/folders/${folderId}/files${onConflict ? `?onConflict=${onConflict}` : ''}`,
    headers: { ...user.headers, 'content-type': contentType },
    payload,
  });
};

export const uploadOne = async (
  app: App,
  user: Pick<TestUser, 'headers'>,
  file: { name: string; content: Buffer | string; folderId?: string },
): Promise<NodeDto> => {
  const response = await uploadFiles(app, user, {
    files: [file],
    ...(file.folderId ? { folderId: file.folderId } : {}),
  });
  if (response.statusCode !== 201)
    throw new Error(`upload failed: ${response.statusCode} ${response.body}`);
  const [uploaded] = response.json<{ files: NodeDto[] }>().files;
  if (!uploaded) throw new Error('upload returned no file');
  return uploaded;
};

export const createFolderVia = async (
  app: App,
  user: Pick<TestUser, 'headers'>,
  { name, parentId }: { name: string; parentId?: string },
): Promise<NodeDto> => {
  const response = await app.inject({
    method: 'POST',
    url: '/api/folders',
    headers: user.headers,
    payload: { name, ...(parentId ? { parentId } : {}) },
  });
  if (response.statusCode !== 201)
    throw new Error(`create folder failed: ${response.statusCode} ${response.body}`);
  return response.json<NodeDto>();
};

export const listAll = async (
  app: App,
  user: Pick<TestUser, 'headers'>,
  { folderId = 'root', query = '' }: { folderId?: string; query?: string } = {},
) => {
  const items: NodeDto[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/folders/${folderId}/children?${query}${cursor ? `&cursor=${cursor}` : ''}`;
    const response = await app.inject({ method: 'GET', url, headers: user.headers });
    if (response.statusCode !== 200)
      throw new Error(`list failed: ${response.statusCode} ${response.body}`);
    const page = response.json<{ items: NodeDto[]; nextCursor: string | null }>();
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
};
