import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import { Server } from '@tus/server';
import type { Upload } from '@tus/utils';
import { hotStorageUrl } from '../../app/app-context.js';
import { createBlobKey } from '../../blob-storage/blob-storage.keys.js';
import { parseStorageUrl } from '../../blob-storage/blob-storage.url.js';
import type { Config } from '../../config/config.js';
import { toErrorAnswer } from '../../app/error-handler.js';
import { AppError } from '../../app/app-error.js';
import { SAMPLE_BYTES, sniffContentType } from '../files/files.sniffing.js';
import {
  getFolderOrThrow,
  rethrowQuotaExceededFor,
  type FilesDeps,
} from '../nodes/nodes.usecases.js';
import { quotaExceeded } from '../nodes/nodes.errors.js';
import { quotaHolderOf, userActor } from '../access/access.models.js';
import { reserveUploadWithinQuota } from '../usage/usage.repository.js';
import { onConflictModes, type OnConflict } from './uploads.models.js';
import {
  claimTusUploadCompletion,
  deleteTusUpload,
  getTusUpload,
  insertTusUpload,
  setTusUploadFile,
} from './uploads.repository.js';
import type { InPlaceS3Store } from './uploads.tus-s3-store.js';
import { HashingFileStore } from './uploads.tus-store.js';
import { commitStoredBlob, prepareUpload } from './uploads.usecases.js';

export const TUS_PATH = '/api/uploads';
export const TUS_EXPIRY_MS = 24 * 3_600_000;

/** The staging store for incomplete uploads, of the same kind as the blob store. */
export type TusDataStore = HashingFileStore | InPlaceS3Store;

export const createTusDataStore = async (
  config: Config,
  { expirationMs = TUS_EXPIRY_MS }: { expirationMs?: number } = {},
): Promise<TusDataStore> => {
  const storage = parseStorageUrl(hotStorageUrl(config));
  if (storage.driver === 's3') {
    // Loaded only here: @tus/s3-store brings the AWS SDK, which a disk-only server never needs.
    const { InPlaceS3Store } = await import('./uploads.tus-s3-store.js');
    return new InPlaceS3Store({
      keyPrefix: storage.prefix ? `${storage.prefix}/` : '',
      storageClass: storage.storageClass,
      partSize: 8 * 1024 * 1024,
      expirationPeriodInMilliseconds: expirationMs,
      s3ClientConfig: {
        bucket: storage.bucket,
        region: storage.region ?? 'us-east-1',
        ...(storage.endpoint ? { endpoint: storage.endpoint } : {}),
        ...(storage.credentials ? { credentials: storage.credentials } : {}),
        forcePathStyle: storage.forcePathStyle ?? false,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      },
    });
  }
  return new HashingFileStore({
    directory: path.join(config.DATA_DIR, 'uploads'),
    expirationPeriodInMilliseconds: expirationMs,
  });
};

/** The upload id an upload URL's last segment names (undefined: none). */
export const tusIdOfUrl = (datastore: TusDataStore, segment: string): string | undefined =>
  datastore instanceof HashingFileStore ? segment : datastore.idOfUrl(segment);

/**
 * What the route tells the tus hooks about one request (who is asking), and what the hooks
 * tell the route back (which upload this request finished, so its staging can go).
 */
type TusExchange = { ownerId: string; ifMatch?: string; finishedUploadId?: string };
const exchanges = new WeakMap<Request, TusExchange>();
export const beginTusExchange = (
  request: Request,
  ownerId: string,
  ifMatch?: string,
): TusExchange => {
  const exchange: TusExchange = { ownerId, ...(ifMatch !== undefined ? { ifMatch } : {}) };
  exchanges.set(request, exchange);
  return exchange;
};

const exchangeOf = (request: Request): TusExchange => {
  const exchange = exchanges.get(request);
  if (!exchange) throw new TusHookError(401, 'unauthenticated', 'Sign in first.');
  return exchange;
};

/** What tus hooks reject with: the server answers `status_code` with `body`. */
class TusHookError extends Error {
  readonly status_code: number;
  readonly body: string;

  constructor(statusCode: number, code: string, message: string) {
    super(message);
    this.status_code = statusCode;
    this.body = JSON.stringify({ error: { code, message } });
  }
}

/** tus hooks reject with `{ status_code, body }`; our errors keep their code and status. */
const toTusError = (error: unknown) => {
  if (error instanceof TusHookError) return error;
  const answer = toErrorAnswer(error);
  return new TusHookError(answer.statusCode, answer.code, answer.message);
};

const tooManyUnfinishedUploads = (max: number) =>
  new AppError({
    code: 'rate_limited',
    statusCode: 429,
    message: `There are already ${max} unfinished uploads into this space; finish or cancel one first.`,
  });

const readMetadata = (upload: Upload) => {
  const metadata = upload.metadata ?? {};
  const onConflict = (metadata.onConflict ?? 'rename') as OnConflict;
  return {
    name: metadata.filename ?? metadata.name ?? '',
    folderId: metadata.folderId ?? 'root',
    onConflict: onConflictModes.includes(onConflict) ? onConflict : 'rename',
  };
};

export const createTusServer = ({
  datastore,
  maxUnfinishedUploads,
  ...deps
}: Pick<FilesDeps, 'db' | 'blobStorage' | 'events' | 'cache' | 'settings'> & {
  datastore: TusDataStore;
  /** Per quota: how many uploads may be unfinished at once, each holding staged bytes. */
  maxUnfinishedUploads: number;
}) =>
  new Server({
    path: TUS_PATH,
    datastore,
    maxSize: deps.settings.maxUploadBytes,
    relativeLocation: true,
    ...(datastore instanceof HashingFileStore
      ? {}
      : {
          // Ids are object keys with slashes in them; a URL carries the uuid at their end.
          namingFunction: () => datastore.newUploadId(),
          generateUrl: (_request: Request, { path: base, id }: { path: string; id: string }) =>
            `${base}/${datastore.urlIdOf(id)}`,
          getFileIdFromRequest: (_request: Request, segment?: string) =>
            segment === undefined ? undefined : datastore.idOfUrl(segment),
        }),
    // Length is required up front so the limit and the quota are checked before any byte, and
    // the declared length is reserved against the quota until the upload ends one way or another.
    onUploadCreate: async (request, upload) => {
      try {
        const { ownerId, ifMatch } = exchangeOf(request);
        if (upload.size === undefined) {
          throw new TusHookError(400, 'invalid_request', 'Upload-Length is required.');
        }
        const size = upload.size;
        const { name, folderId, onConflict } = readMetadata(upload);
        const actor = userActor(ownerId);
        const prepared = await prepareUpload({
          ...deps,
          actor,
          folderId,
          name,
          onConflict,
          declaredSize: size,
          ifMatch,
        });
        await deps.db.transaction().execute(async (trx) => {
          const reservation = await reserveUploadWithinQuota(trx, {
            userId: prepared.folder.owner_id,
            bytes: size,
            creditBytes: prepared.replacedBytes,
            maxUploads: maxUnfinishedUploads,
          });
          if (reservation === 'quota_exceeded') {
            throw quotaExceeded(quotaHolderOf(actor, prepared.folder.owner_id));
          }
          if (reservation === 'too_many_uploads') {
            throw tooManyUnfinishedUploads(maxUnfinishedUploads);
          }
          await insertTusUpload(trx, {
            id: upload.id,
            ownerId,
            quotaUserId: prepared.folder.owner_id,
            folderId: prepared.folder.id,
            name: prepared.name,
            size,
            onConflict,
            ifMatch: ifMatch ?? null,
          });
        });
        return {};
      } catch (error) {
        throw toTusError(error);
      }
    },
    onIncomingRequest: async (request, uploadId) => {
      const { ownerId } = exchangeOf(request);
      // Another user's upload id is as unknown as a missing one.
      if (request.method !== 'POST' && !(await getTusUpload(deps.db, { id: uploadId, ownerId }))) {
        throw new TusHookError(404, 'not_found', 'No such upload.');
      }
    },
    onUploadFinish: async (request, upload) => {
      try {
        const exchange = exchangeOf(request);
        const fileId = await finishTusUpload({
          ...deps,
          datastore,
          ownerId: exchange.ownerId,
          upload,
        }).catch(async (error: unknown) => {
          // The file changed since the upload began: this upload can never complete, so it
          // goes now (record, reservation, staged bytes) rather than holding space for a day.
          if (isVersionMismatch(error)) {
            await deleteTusUpload(deps.db, { id: upload.id, ownerId: exchange.ownerId });
            exchange.finishedUploadId = upload.id;
          }
          throw error;
        });
        // The staged bytes go once tus is done answering: it still reads the upload after this
        // hook when the upload was completed by its creation request.
        exchange.finishedUploadId = upload.id;
        return { headers: { 'X-File-Id': fileId } };
      } catch (error) {
        throw toTusError(error);
      }
    },
  });

/**
 * A completed upload's bytes, as a blob, with no second copy and no second pass: on disk the
 * staged file itself becomes the blob (linked into the store), on S3 the multipart upload tus
 * completed already is one (its id is the blob's key); both were hashed as they arrived.
 * `inPlace`: the blob is the upload's own object, which any other finish of it shares.
 * Uploads staged otherwise (before ids were blob keys) stream into the store, hashed on the way.
 */
const storeStagedUpload = async ({
  datastore,
  blobStorage,
  upload,
  size,
}: Pick<FilesDeps, 'blobStorage'> & { datastore: TusDataStore; upload: Upload; size: number }) => {
  if (datastore instanceof HashingFileStore && blobStorage.putFile && size > 0) {
    const key = createBlobKey();
    const stagedPath = datastore.stagedPathOf(upload.id);
    const sample = createReadStream(stagedPath);
    const { contentType } = await sniffContentType(sample).finally(() => sample.destroy());
    const sha256 = await datastore.sha256Of(upload.id, size);
    const stored = await blobStorage.putFile({ key, path: stagedPath });
    if (stored.size !== size) {
      await blobStorage.delete({ key });
      throw new Error(`Staged upload ${upload.id} holds ${stored.size} bytes, not ${size}.`);
    }
    return { blob: { key, contentType, size, sha256 }, inPlace: false };
  }
  // An empty upload is created complete: tus never completes a multipart upload for it.
  const ownKey = datastore instanceof HashingFileStore ? undefined : datastore.blobKeyOf(upload.id);
  if (!(datastore instanceof HashingFileStore) && ownKey && size > 0) {
    const { size: stored } = await blobStorage.head({ key: ownKey });
    if (stored !== size) throw new Error(`Upload ${upload.id} holds ${stored} bytes, not ${size}.`);
    const sample = (
      await blobStorage.get({
        key: ownKey,
        range: { start: 0, end: Math.min(size, SAMPLE_BYTES) - 1 },
      })
    ).body;
    const { contentType } = await sniffContentType(sample).finally(() => sample.destroy());
    const sha256 = await datastore.sha256Of(upload.id, size);
    return { blob: { key: ownKey, contentType, size, sha256 }, inPlace: true };
  }
  const key = createBlobKey();
  // An empty upload staged nothing: tus's S3 store has no object to read back.
  const staged = size === 0 ? Readable.from([]) : await datastore.read(upload.id);
  const { contentType, stream } = await sniffContentType(staged);
  const stored = await blobStorage.put({ key, body: stream, contentType, maxBytes: size });
  return { blob: { key, contentType, ...stored }, inPlace: false };
};

/**
 * Stores a completed upload as a blob and creates the file row with the upload claimed
 * complete in the same transaction, so a repeated finish creates nothing.
 */
const finishTusUpload = async ({
  datastore,
  ownerId,
  upload,
  ...deps
}: Pick<FilesDeps, 'db' | 'blobStorage' | 'events' | 'settings' | 'cache'> & {
  datastore: TusDataStore;
  ownerId: string;
  upload: Upload;
}): Promise<string> => {
  const record = await getTusUpload(deps.db, { id: upload.id, ownerId });
  if (!record) throw new TusHookError(404, 'not_found', 'No such upload.');
  if (record.file_id) return record.file_id;
  // Asked again: access may have been withdrawn while the bytes were arriving.
  const actor = userActor(ownerId);
  const folder = await getFolderOrThrow({
    ...deps,
    actor,
    id: record.folder_id,
    action: 'upload',
  });
  const { blob, inPlace } = await storeStagedUpload({
    datastore,
    blobStorage: deps.blobStorage,
    upload,
    size: record.size,
  });
  try {
    const file = await commitStoredBlob({
      ...deps,
      ownerId: folder.owner_id,
      folderId: folder.id,
      name: record.name,
      onConflict: record.on_conflict as OnConflict,
      ifMatch: record.if_match ?? undefined,
      replacedBy: record.owner_id,
      blob,
      beforeWrite: async (trx) => {
        if (!(await claimTusUploadCompletion(trx, { id: upload.id }))) throw new AlreadyFinished();
      },
      inTransaction: (trx, created) => setTusUploadFile(trx, { id: upload.id, fileId: created.id }),
      // Finished already: the blob is then the file's that the first finish created.
      ...(inPlace ? { keepBlobWhen: (error: unknown) => error instanceof AlreadyFinished } : {}),
    });
    return file.id;
  } catch (error) {
    if (error instanceof AlreadyFinished) {
      return (await getTusUpload(deps.db, { id: upload.id, ownerId }))?.file_id ?? '';
    }
    // The reservation covered the declared length, but what was counted on may be gone by now
    // (the file a replace was to free was deleted meanwhile): name whose quota is full.
    return rethrowQuotaExceededFor({ actor, folderOwnerId: folder.owner_id })(error);
  }
};

class AlreadyFinished extends Error {}

const isVersionMismatch = (error: unknown) =>
  error instanceof AppError && error.code === 'precondition_failed';
