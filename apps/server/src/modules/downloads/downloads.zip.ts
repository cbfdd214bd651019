import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { Db } from '../../db/database.js';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { Actor } from '../access/access.models.js';
import { listChildrenRange } from '../folders/folders.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { getFolderOrThrow, type FilesDeps } from '../nodes/nodes.usecases.js';

const PAGE = 500;
/** Entries queued in the archive ahead of the one being written: bounds memory on any tree. */
const AHEAD = 1000;
export const SKIPPED_NOTE = 'NOT INCLUDED.txt';

type Page = (args: { parentId: string; folders: boolean }) => AsyncGenerator<NodeRow>;

const pagesOf = (db: Db): Page =>
  async function* ({ parentId, folders }) {
    let after: { values: (string | number)[]; id: string } | null = null;
    for (;;) {
      const rows = await listChildrenRange(db, {
        parentId,
        folders,
        sort: 'name',
        order: 'asc',
        after,
        limit: PAGE,
      });
      yield* rows;
      const last = rows.at(-1);
      if (rows.length < PAGE || !last) return;
      after = { values: [last.sort_key], id: last.id };
    }
  };

/**
 * A folder as a zip, streamed: the tree is walked a page at a time while the archive is written,
 * each file's bytes are opened only when the archive reaches it, and at most `AHEAD` entries
 * wait in the queue, so memory stays flat for any number or size of files. Entries are stored
 * (no deflate: most large files are compressed already, and the CPU stays free); yazl writes
 * ZIP64 records once an offset or size passes 4 GiB, and flags names as UTF-8. Files that are
 * in or on their way to the cold tier are left out and listed in a note inside the archive.
 */
export const openFolderZip = async ({
  actor,
  id,
  signal,
  ...deps
}: Pick<FilesDeps, 'db' | 'blobStorage' | 'settings'> & {
  actor: Actor;
  id: string;
  signal: AbortSignal;
}): Promise<{ name: string; stream: Readable }> => {
  const folder = await getFolderOrThrow({ ...deps, actor, id, action: 'read' });
  const zip = new ZipFile();
  // yazl's output is a PassThrough; its typings only promise a ReadableStream.
  const stream = zip.outputStream as unknown as Readable;
  const name = folder.is_root ? 'My files' : folder.name;
  void fill({ zip, db: deps.db, blobStorage: deps.blobStorage, folder, root: name, signal }).catch(
    (error: unknown) => stream.destroy(error as Error),
  );
  return { name, stream };
};

const fill = async ({
  zip,
  db,
  blobStorage,
  folder,
  root,
  signal,
}: {
  zip: ZipFile;
  db: Db;
  blobStorage: BlobStorage;
  folder: NodeRow;
  root: string;
  signal: AbortSignal;
}) => {
  const children = pagesOf(db);
  let queued = 0;
  let opened = 0;
  let wake: (() => void) | undefined;
  const skipped: string[] = [];
  const stack: { id: string; path: string }[] = [{ id: folder.id, path: root }];
  while (stack.length > 0) {
    const current = stack.pop();
    if (!current) break;
    let empty = true;
    for await (const file of children({ parentId: current.id, folders: false })) {
      if (signal.aborted) return;
      empty = false;
      const path = `${current.path}/${file.name}`;
      const key = file.blob_key;
      if (file.storage_state !== 'hot' || !key) {
        skipped.push(path);
        continue;
      }
      while (queued - opened >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
      queued++;
      zip.addReadStreamLazy(
        path,
        { size: file.size, mtime: file.updated_at, compress: false },
        (callback) => {
          opened++;
          wake?.();
          if (file.size === 0) return callback(null, emptyStream());
          blobStorage.get({ key }).then(
            ({ body }) => callback(null, body),
            (error: unknown) => callback(error as Error, undefined as never),
          );
        },
      );
    }
    for await (const sub of children({ parentId: current.id, folders: true })) {
      empty = false;
      stack.push({ id: sub.id, path: `${current.path}/${sub.name}` });
    }
    if (empty) zip.addEmptyDirectory(current.path, { mtime: folder.updated_at });
  }
  if (skipped.length > 0) {
    zip.addBuffer(
      Buffer.from(
        'These files are in cold storage (or on their way there or back) and were left out.\n' +
          'Restore their folder, then download again.\n\n' +
          skipped.join('\n') +
          '\n',
      ),
      `${root}/${SKIPPED_NOTE}`,
      { compress: false },
    );
  }
  zip.end();
};

const emptyStream = () => Readable.from([]);
