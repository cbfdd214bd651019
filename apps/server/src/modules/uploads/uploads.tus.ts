import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import { Server } from '@tus/server';
import type { Upload } from '@tus/utils';
import { hotStorageUrl } from '../../app/app-context.js';
import { createBlobKey } from '../../blob-storage/blob-storage.keys.js';
import { parseStorageUrl } from '../../blob-storage/blob-storage.url.js';
import type { Config } from '../../config/config.js';
import { toErrorAnswer } from '../../app/error-handler.js';
import { sniffContentType } from '../files/files.sniffing.js';
import { getFolderOrThrow, type FilesDeps } from '../nodes/nodes.usecases.js';
import { userActor } from '../access/access.models.js';
import { onConflictModes, type OnConflict } from './uploads.models.js';
import { getTusUpload, insertTusUpload, markTusUploadCompleted } from './uploads.repository.js';
import { commitStoredBlob, prepareUpload } from './uploads.usecases.js';

export const TUS_PATH = '/api/uploads';
export const TUS_EXPIRY_MS = 24 * 3_600_000;

/** The staging store for incomplete uploads, of the same kind as the blob store. */
export type TusDataStore = FileStore | S3Store;

export const createTusDataStore = (
  config: Config,
  { expirationMs = TUS_EXPIRY_MS }: { expirationMs?: number } = {},
): TusDataStore => {
  const storage = parseStorageUrl(hotStorageUrl(config));
  if (storage.driver === 's3') {
    return new S3Store({
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
  return new FileStore({
    directory: path.join(config.DATA_DIR, 'uploads'),
    expirationPeriodInMilliseconds: expirationMs,
  });
};

/** The authenticated owner of a raw request, set by the route once auth has passed. */
const owners = new WeakMap<IncomingMessage, string>();
export const setTusRequestOwner = (raw: IncomingMessage, ownerId: string) =>
  owners.set(raw, ownerId);

const ownerOf = (request: unknown): string => {
  const raw = (request as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
  const ownerId = raw ? owners.get(raw) : undefined;
  if (!ownerId) throw new TusHookError(401, 'unauthenticated', 'Sign in first.');
  return ownerId;
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
  ...deps
}: Pick<FilesDeps, 'db' | 'blobStorage' | 'events' | 'cache' | 'settings'> & {
  datastore: TusDataStore;
}) =>
  new Server({
    path: TUS_PATH,
    datastore,
    maxSize: deps.settings.maxUploadBytes,
    relativeLocation: true,
    // Length is required up front so the limit and the quota are checked before any byte.
    onUploadCreate: async (request, upload) => {
      try {
        const ownerId = ownerOf(request);
        if (upload.size === undefined) {
          throw new TusHookError(400, 'invalid_request', 'Upload-Length is required.');
        }
        const { name, folderId, onConflict } = readMetadata(upload);
        const prepared = await prepareUpload({
          ...deps,
          actor: userActor(ownerId),
          folderId,
          name,
          onConflict,
          declaredSize: upload.size,
        });
        await insertTusUpload(deps.db, {
          id: upload.id,
          ownerId,
          folderId: prepared.folder.id,
          name: prepared.name,
          size: upload.size,
          onConflict,
        });
        return {};
      } catch (error) {
        throw toTusError(error);
      }
    },
    onIncomingRequest: async (request, uploadId) => {
      const ownerId = ownerOf(request);
      // Another user's upload id is as unknown as a missing one.
      if (request.method !== 'POST' && !(await getTusUpload(deps.db, { id: uploadId, ownerId }))) {
        throw new TusHookError(404, 'not_found', 'No such upload.');
      }
    },
    onUploadFinish: async (request, upload) => {
      try {
        const fileId = await finishTusUpload({
          ...deps,
          datastore,
          ownerId: ownerOf(request),
          upload,
        });
        return { headers: { 'X-File-Id': fileId } };
      } catch (error) {
        throw toTusError(error);
      }
    },
  });

/**
 * Moves a completed upload into a blob (hashing it on the way) and creates the file row with
 * the upload marked complete in the same transaction, so a repeated finish creates nothing.
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
  const folder = await getFolderOrThrow({
    ...deps,
    actor: userActor(ownerId),
    id: record.folder_id,
    action: 'upload',
  });
  const { contentType, stream } = await sniffContentType(await datastore.read(upload.id));
  const key = createBlobKey();
  const stored = await deps.blobStorage.put({
    key,
    body: stream,
    contentType,
    maxBytes: record.size,
  });
  try {
    const file = await commitStoredBlob({
      ...deps,
      ownerId: folder.owner_id,
      folderId: folder.id,
      name: record.name,
      onConflict: record.on_conflict as OnConflict,
      blob: { key, contentType, ...stored },
      inTransaction: async (trx, created) => {
        if (!(await markTusUploadCompleted(trx, { id: upload.id, fileId: created.id }))) {
          throw new AlreadyFinished();
        }
      },
    });
    await datastore.remove(upload.id).catch(() => undefined);
    return file.id;
  } catch (error) {
    if (error instanceof AlreadyFinished) {
      return (await getTusUpload(deps.db, { id: upload.id, ownerId }))?.file_id ?? '';
    }
    throw error;
  }
};

class AlreadyFinished extends Error {}
