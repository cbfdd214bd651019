import {
  AbortMultipartUploadCommand,
  ListMultipartUploadsCommand,
  type MultipartUpload,
  type S3Client,
} from '@aws-sdk/client-s3';

/** Every incomplete multipart upload under `prefix`, page by page (the SDK has no paginator). */
export async function* listMultipartUploads(
  client: S3Client,
  bucket: string,
  prefix: string,
): AsyncGenerator<MultipartUpload> {
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListMultipartUploadsCommand({
        Bucket: bucket,
        Prefix: prefix,
        ...(keyMarker === undefined ? {} : { KeyMarker: keyMarker }),
        ...(uploadIdMarker === undefined ? {} : { UploadIdMarker: uploadIdMarker }),
      }),
    );
    yield* page.Uploads ?? [];
    if (!page.IsTruncated) return;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

/**
 * Aborts the incomplete multipart uploads under `prefix` started before `olderThan` (all of them
 * without it). A process killed mid-upload never aborts its own, and S3 bills their parts until
 * someone does: AWS users may also have a lifecycle rule, MinIO, Ceph or R2 users none.
 */
export const abortMultipartUploads = async ({
  client,
  bucket,
  prefix,
  olderThan,
}: {
  client: S3Client;
  bucket: string;
  prefix: string;
  olderThan: Date | undefined;
}): Promise<{ removed: number }> => {
  let removed = 0;
  for await (const upload of listMultipartUploads(client, bucket, prefix)) {
    if (upload.Key === undefined || upload.UploadId === undefined) continue;
    if (olderThan && (upload.Initiated ?? new Date()) >= olderThan) continue;
    try {
      await client.send(
        new AbortMultipartUploadCommand({
          Bucket: bucket,
          Key: upload.Key,
          UploadId: upload.UploadId,
        }),
      );
      removed += 1;
    } catch (error) {
      // Completed or aborted by its own writer between the listing and now.
      if ((error as Error).name !== 'NoSuchUpload') throw error;
    }
  }
  return { removed };
};
