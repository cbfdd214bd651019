import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';
import type { ArchiveStorage, RestoreTier } from '../../archive-storage/archive-storage.types.js';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { NodeRow } from '../nodes/nodes.tables.js';

/** The transfers touch only the stores; the job records their outcome in batches. */
export type TransferDeps = { blobStorage: BlobStorage; archiveStorage: ArchiveStorage };

/** pipeline() needs a callback; a failure still reaches whoever reads the last stream. */
const ignoreHere = () => {};

/** Passes the bytes through unchanged and hashes them on the way. */
const hashing = (source: Readable) => {
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { body: pipeline(source, tap, ignoreHere), sha256: () => hash.digest('hex') };
};

const keyOf = (file: NodeRow) => {
  if (!file.blob_key) throw new Error(`Node ${file.id} is not a file.`);
  return file.blob_key;
};

const hotCopyMatches = async ({
  blobStorage,
  file,
}: { blobStorage: BlobStorage } & { file: NodeRow }) => {
  const key = keyOf(file);
  if (!(await blobStorage.exists({ key }))) return false;
  const { body } = await blobStorage.get({ key });
  const hash = createHash('sha256');
  for await (const chunk of body as AsyncIterable<Buffer>) hash.update(chunk);
  return file.sha256 === null || hash.digest('hex') === file.sha256;
};

/**
 * Hot → cold for one file in state `archiving`; the caller then marks it `archived`. Every
 * step may run twice: the cold put
 * overwrites, deleting is idempotent, and a hot copy already gone means an earlier run got
 * past the delete, so the cold copy is there.
 */
export const archiveFile = async ({
  blobStorage,
  archiveStorage,
  file,
}: TransferDeps & { file: NodeRow }) => {
  const key = keyOf(file);
  if (await blobStorage.exists({ key })) {
    const { body } = await blobStorage.get({ key });
    const tapped = hashing(body);
    await archiveStorage.put({ key, body: tapped.body });
    const sha256 = tapped.sha256();
    if ((file.sha256 !== null && sha256 !== file.sha256) || !(await archiveStorage.exists({ key })))
      throw new Error(`The cold copy of "${file.name}" could not be verified; it stays hot.`);
    await blobStorage.delete({ key });
  } else if (!(await archiveStorage.exists({ key }))) {
    throw new Error(`"${file.name}" has no copy in either tier.`);
  }
};

/** `justRequested`: the cold tier was asked just now, which the caller records. */
export type RestoreOutcome =
  | { kind: 'done' }
  | { kind: 'pending'; justRequested: boolean }
  | { kind: 'failed'; error: string };

/**
 * Cold → hot for one file in state `restoring`: ask the cold tier once, wait until it is
 * readable, copy back (same SHA-256) and drop the cold copy; on `done` the caller marks it hot.
 */
export const restoreFile = async ({
  blobStorage,
  archiveStorage,
  file,
  tier,
}: TransferDeps & { file: NodeRow; tier: RestoreTier }): Promise<RestoreOutcome> => {
  const key = keyOf(file);
  if (await hotCopyMatches({ blobStorage, file })) {
    // Never left the hot tier (a rolled-back archive), or an earlier run copied it back.
    await archiveStorage.delete({ key });
    return { kind: 'done' };
  }
  if (!(await archiveStorage.exists({ key })))
    return { kind: 'failed', error: `"${file.name}" has no intact copy in either tier.` };
  const justRequested = file.restore_requested_at === null;
  if (justRequested) await archiveStorage.requestRestore({ key, tier });
  const state = await archiveStorage.state({ key });
  if (state === 'restoring' || (state === 'archived' && justRequested))
    return { kind: 'pending', justRequested };
  if (state === 'archived')
    return { kind: 'failed', error: `The cold tier did not restore "${file.name}".` };
  const stored = await blobStorage.put({
    key,
    body: await archiveStorage.get({ key }),
    contentType: file.content_type,
  });
  if (file.sha256 !== null && stored.sha256 !== file.sha256) {
    await blobStorage.delete({ key });
    return {
      kind: 'failed',
      error: `The restored copy of "${file.name}" differs from the original.`,
    };
  }
  await archiveStorage.delete({ key });
  return { kind: 'done' };
};
