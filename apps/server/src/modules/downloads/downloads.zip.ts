import { Readable } from 'node:stream';
import type { ZipFile } from 'yazl';
import type { Db } from '../../db/database.js';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { Actor } from '../access/access.models.js';
import { listChildrenRange } from '../folders/folders.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { getFolderOrThrow, type FilesDeps } from '../nodes/nodes.usecases.js';

const PAGE = 500;
/** Entries queued in the archive ahead of the one being written: bounds memory on any tree. */
const AHEAD = 1000;
/**
 * Files opened, and their first chunk read, ahead of the one being written: the archive would
 * otherwise stand idle for each file's open, fstat and first read (a third of the time on a
 * folder of 1 MiB files). Costs at most this many read buffers and file handles.
 */
const READ_AHEAD = 2;
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
  // Loaded by the first folder download, not at start: most processes never write a ZIP.
  const { ZipFile } = await import('yazl');
  const zip = new ZipFile();
  // yazl's output is a PassThrough; its typings only promise a ReadableStream.
  const stream = zip.outputStream as unknown as Readable;
  const name = folder.is_root ? 'My files' : folder.name;
  // Stops the walk and closes every body opened ahead, whether the client went away, the
  // consumer dropped the stream, or a file's bytes could not be read.
  const stop = new AbortController();
  const fail = (error: Error) => {
    stop.abort(error);
    stream.destroy(error);
  };
  signal.addEventListener('abort', () => stop.abort(signal.reason), { once: true });
  stream.once('close', () => stop.abort());
  // yazl reports a body that failed to open as its own 'error': unheard, it would throw.
  zip.on('error', fail);
  const { db, blobStorage } = deps;
  void fill({ zip, db, blobStorage, folder, root: name, signal: stop.signal }).catch(
    (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
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
  const reads = readAhead(blobStorage, signal);
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
      await reads.roomForMore();
      const index = reads.queue(file.size === 0 ? null : key);
      zip.addReadStreamLazy(
        path,
        { size: file.size, mtime: file.updated_at, compress: false },
        (callback) => {
          reads.take(index).then(
            (body) => callback(null, body),
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

/**
 * The archive's file bodies in the order it asks for them. Taking one opens the next
 * `READ_AHEAD` and starts their first read; at most `AHEAD` entries wait unopened. Once the
 * download stops, every body still open is closed.
 */
const readAhead = (blobStorage: BlobStorage, signal: AbortSignal) => {
  const keys = new Map<number, string | null>();
  const opened = new Map<number, Promise<Readable>>();
  let queued = 0;
  let taken = 0;
  let wake: (() => void) | undefined;

  const open = (index: number) => {
    const key = keys.get(index);
    keys.delete(index);
    const body =
      key == null
        ? Promise.resolve(emptyStream())
        : blobStorage.get({ key }).then(({ body }) => {
            body.read(0);
            return body;
          });
    // Opened ahead and never taken (the download stopped): nobody awaits it but this.
    body.catch(() => undefined);
    opened.set(index, body);
  };

  // Bodies handed to the archive: piping does not pass a destroy upstream, and an S3 body left
  // paused would hold its connection.
  const writing = new Set<Readable>();
  signal.addEventListener('abort', () => {
    for (const body of writing) body.destroy();
    for (const body of opened.values())
      void body.then(
        (stream) => stream.destroy(),
        () => {},
      );
    opened.clear();
  });

  return {
    roomForMore: async () => {
      while (queued - taken >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
    },
    /** `null` for an empty file, which has nothing to read. */
    queue: (key: string | null) => {
      const index = queued++;
      keys.set(index, key);
      // Queued while the archive is already on the files before it: open it now.
      if (taken > 0 && index <= taken + READ_AHEAD - 1 && !signal.aborted) open(index);
      return index;
    },
    take: (index: number) => {
      for (let next = index; next <= index + READ_AHEAD && next < queued; next++) {
        if (keys.has(next)) open(next);
      }
      const body = opened.get(index);
      opened.delete(index);
      taken++;
      wake?.();
      if (!body) return Promise.reject(new Error(`Zip entry ${index} was taken twice.`));
      return body.then((stream) => {
        writing.add(stream);
        stream.once('close', () => writing.delete(stream));
        return stream;
      });
    },
  };
};
