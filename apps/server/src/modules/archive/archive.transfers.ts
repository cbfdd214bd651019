import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';
import type { ArchiveStorage, RestoreTier } from '../../archive-storage/archive-storage.types.js';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import type { FileVersionRow } from '../versions/versions.tables.js';

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

/** One stored content that travels between the tiers: a file's current bytes or a version's. */
export type TierBlob = {
  key: string;
  /** Null (or empty, for versions kept before hashing) when there is nothing to verify against. */
  sha256: string | null;
  contentType: string;
  /** How a person would name it, for the job's error message. */
  label: string;
};

/** The file's current content first, then every kept version: all of them move together. */
export const blobsOfFile = (
  file: NodeRow,
  versions: readonly Pick<FileVersionRow, 'blob_key' | 'sha256' | 'content_type' | 'created_at'>[],
): TierBlob[] => {
  if (!file.blob_key) throw new Error(`Node ${file.id} is not a file.`);
  return [
    {
      key: file.blob_key,
      sha256: file.sha256,
      contentType: file.content_type,
      label: `"${file.name}"`,
    },
    ...versions.map((version) => ({
      key: version.blob_key,
      sha256: version.sha256 === '' ? null : version.sha256,
      contentType: version.content_type,
      label: `the version of "${file.name}" kept ${version.created_at.toISOString()}`,
    })),
  ];
};

const hotCopyMatches = async ({
  blobStorage,
  blob,
}: {
  blobStorage: BlobStorage;
  blob: TierBlob;
}) => {
  if (!(await blobStorage.exists({ key: blob.key }))) return false;
  const { body } = await blobStorage.get({ key: blob.key });
  const hash = createHash('sha256');
  for await (const chunk of body as AsyncIterable<Buffer>) hash.update(chunk);
  return blob.sha256 === null || hash.digest('hex') === blob.sha256;
};

/**
 * Hot → cold for one blob. Every step may run twice: the cold put overwrites, deleting is
 * idempotent, and a hot copy already gone means an earlier run got past the delete, so the
 * cold copy is there.
 */
const archiveBlob = async ({
  blobStorage,
  archiveStorage,
  blob,
}: TransferDeps & { blob: TierBlob }) => {
  const { key } = blob;
  if (await blobStorage.exists({ key })) {
    const { body } = await blobStorage.get({ key });
    const tapped = hashing(body);
    await archiveStorage.put({ key, body: tapped.body });
    const sha256 = tapped.sha256();
    if ((blob.sha256 !== null && sha256 !== blob.sha256) || !(await archiveStorage.exists({ key })))
      throw new Error(`The cold copy of ${blob.label} could not be verified; it stays hot.`);
    await blobStorage.delete({ key });
  } else if (!(await archiveStorage.exists({ key }))) {
    throw new Error(`${blob.label} has no copy in either tier.`);
  }
};

/**
 * Hot → cold for one file in state `archiving` with its versions (`blobsOfFile`); the caller
 * then marks it `archived`. The file's state covers all its blobs: while it is not hot no
 * replace, version restore, version delete or retention run changes which blobs it has.
 */
export const archiveFile = async ({
  blobs,
  ...deps
}: TransferDeps & { blobs: readonly TierBlob[] }) => {
  for (const blob of blobs) await archiveBlob({ ...deps, blob });
};

/** `justRequested`: the cold tier was asked just now, which the caller records. */
export type RestoreOutcome =
  | { kind: 'done' }
  | { kind: 'pending'; justRequested: boolean }
  | { kind: 'failed'; error: string };

/** Cold → hot for one blob: ask once, wait until readable, copy back (same SHA-256), drop cold. */
const restoreBlob = async ({
  blobStorage,
  archiveStorage,
  blob,
  tier,
  justRequested,
}: TransferDeps & {
  blob: TierBlob;
  tier: RestoreTier;
  justRequested: boolean;
}): Promise<RestoreOutcome> => {
  const { key } = blob;
  if (await hotCopyMatches({ blobStorage, blob })) {
    // Never left the hot tier (a rolled-back archive), or an earlier run copied it back.
    await archiveStorage.delete({ key });
    return { kind: 'done' };
  }
  if (!(await archiveStorage.exists({ key })))
    return { kind: 'failed', error: `${blob.label} has no intact copy in either tier.` };
  if (justRequested) await archiveStorage.requestRestore({ key, tier });
  const state = await archiveStorage.state({ key });
  if (state === 'restoring' || (state === 'archived' && justRequested))
    return { kind: 'pending', justRequested };
  if (state === 'archived')
    return { kind: 'failed', error: `The cold tier did not restore ${blob.label}.` };
  const stored = await blobStorage.put({
    key,
    body: await archiveStorage.get({ key }),
    contentType: blob.contentType,
  });
  if (blob.sha256 !== null && stored.sha256 !== blob.sha256) {
    await blobStorage.delete({ key });
    return {
      kind: 'failed',
      error: `The restored copy of ${blob.label} differs from the original.`,
    };
  }
  await archiveStorage.delete({ key });
  return { kind: 'done' };
};

/**
 * Cold → hot for one file in state `restoring` with its versions; on `done` the caller marks it
 * hot. The cold tier is asked for every blob on the first run, so they thaw together; the file
 * is done only when every blob is back.
 */
export const restoreFile = async ({
  file,
  blobs,
  ...deps
}: TransferDeps & {
  file: NodeRow;
  blobs: readonly TierBlob[];
  tier: RestoreTier;
}): Promise<RestoreOutcome> => {
  const justRequested = file.restore_requested_at === null;
  let pending = false;
  for (const blob of blobs) {
    const outcome = await restoreBlob({ ...deps, blob, justRequested });
    if (outcome.kind === 'failed') return outcome;
    if (outcome.kind === 'pending') pending = true;
  }
  return pending ? { kind: 'pending', justRequested } : { kind: 'done' };
};
