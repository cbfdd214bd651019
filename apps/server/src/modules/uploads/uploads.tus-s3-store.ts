import type { Readable } from 'node:stream';
import { S3Store, type Options } from '@tus/s3-store';
import { ERRORS, TUS_RESUMABLE, type Upload } from '@tus/utils';
import type { S3StorageClass } from '../../blob-storage/blob-storage.config.js';
import { blobKeyOfUuid, createBlobKey } from '../../blob-storage/blob-storage.keys.js';
import { listMultipartUploads } from '../../blob-storage/drivers/s3/s3.multipart-sweep.js';
import { RunningHashes, sha256OfStream } from './uploads.tus-hashes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * tus's S3 store, with each upload staged where its blob will live: the upload's id is the
 * object key of a new blob (`<store prefix>/<shard>/<uuid>`), so the multipart upload tus
 * completes with the last PATCH is the file's blob, with no copy made after it. The SHA-256
 * is taken while the PATCHes arrive (see `RunningHashes`). Upload URLs carry only the uuid.
 */
export class InPlaceS3Store extends S3Store {
  private readonly hashes = new RunningHashes();
  private readonly keyPrefix: string;
  private readonly storageClass: S3StorageClass | undefined;

  constructor({
    keyPrefix,
    storageClass,
    ...options
  }: Options & {
    /** The blob store's key prefix with its trailing "/", or "". */
    keyPrefix: string;
    storageClass?: S3StorageClass | undefined;
  }) {
    super(options);
    this.keyPrefix = keyPrefix;
    this.storageClass = storageClass;
  }

  /** A new upload's id: the object key of a blob no one has yet. */
  newUploadId(): string {
    return this.keyPrefix + createBlobKey();
  }

  /** The blob key (without the store's prefix) the upload's object is, if it was staged so. */
  blobKeyOf(id: string): string | undefined {
    if (!id.startsWith(this.keyPrefix)) return undefined;
    const key = id.slice(this.keyPrefix.length);
    const uuid = key.slice(key.lastIndexOf('/') + 1);
    return UUID.test(uuid) && key === blobKeyOfUuid(uuid) ? key : undefined;
  }

  /** What an upload URL carries of the id. */
  urlIdOf(id: string): string {
    return this.blobKeyOf(id) ? id.slice(id.lastIndexOf('/') + 1) : id;
  }

  /** The upload id an upload URL's last segment names, or undefined when it names none. */
  idOfUrl(segment: string): string | undefined {
    if (UUID.test(segment)) return this.keyPrefix + blobKeyOfUuid(segment);
    // Uploads staged before ids were blob keys sit at the bucket's root under a plain name.
    return /^[A-Za-z0-9_-]+$/.test(segment) ? segment : undefined;
  }

  override async create(upload: Upload): Promise<Upload> {
    this.hashes.forget(upload.id);
    // As tus's own, plus the store's storage class: this object becomes a blob as it is.
    upload.creation_date = new Date().toISOString();
    const created = await this.client.createMultipartUpload({
      Bucket: this.bucket,
      Key: upload.id,
      Metadata: { 'tus-version': TUS_RESUMABLE },
      ...(this.storageClass ? { StorageClass: this.storageClass } : {}),
    });
    upload.storage = { type: 's3', path: created.Key ?? upload.id, bucket: this.bucket };
    await this.saveMetadata(upload, created.UploadId ?? '');
    return upload;
  }

  override write(readable: Readable, id: string, offset: number): Promise<number> {
    return this.hashes.hashWhileWriting(readable, id, offset, (body) =>
      super.write(body, id, offset),
    );
  }

  /** The completed object's SHA-256 (hex): the running hash when it covers `size`, else read. */
  async sha256Of(id: string, size: number): Promise<string> {
    return (await this.hashes.take(id, size)) ?? sha256OfStream(await this.read(id));
  }

  /**
   * An unfinished upload: its multipart upload is aborted and its records go. A completed one
   * (tus cannot abort it) keeps its object when that is a blob: a file row holds it, or the
   * hourly orphan sweep removes it; only tus's records of it go.
   */
  override async remove(id: string): Promise<void> {
    this.hashes.forget(id);
    try {
      await super.remove(id);
    } catch (error) {
      if (error !== ERRORS.FILE_NOT_FOUND) throw error;
      const keys = [this.infoKey(id), this.partKey(id, true)];
      if (!this.blobKeyOf(id)) keys.push(id);
      await this.client.deleteObjects({
        Bucket: this.bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })) },
      });
    }
  }

  /**
   * As tus's own, but only under the store's prefix: tus's lists every multipart upload in the
   * bucket, and in a bucket shared with another application or deployment it would abort theirs.
   */
  override async deleteExpired(): Promise<number> {
    const expiration = this.getExpiration();
    if (expiration === 0) return 0;
    const olderThan = Date.now() - expiration;
    let deleted = 0;
    for await (const { Key, UploadId, Initiated } of listMultipartUploads(
      this.client,
      this.bucket,
      this.keyPrefix,
    )) {
      if (!Key || !UploadId || !Initiated || Initiated.getTime() >= olderThan) continue;
      this.hashes.forget(Key);
      try {
        await this.client.abortMultipartUpload({ Bucket: this.bucket, Key, UploadId });
      } catch (error) {
        // Completed or aborted by its own writer between the listing and now.
        if ((error as Error).name !== 'NoSuchUpload') throw error;
      }
      const { Deleted } = await this.client.deleteObjects({
        Bucket: this.bucket,
        Delete: { Objects: [{ Key: this.infoKey(Key) }, { Key: this.partKey(Key, true) }] },
      });
      deleted += Deleted?.length ?? 0;
    }
    return deleted;
  }
}
