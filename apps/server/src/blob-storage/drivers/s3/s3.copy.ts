import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  UploadPartCopyCommand,
  type CompletedPart,
  type S3Client,
  type StorageClass,
} from '@aws-sdk/client-s3';

// CopyObject refuses sources over 5 GiB; past that S3 only copies part by part.
const SINGLE_COPY_LIMIT = 5 * 1024 ** 3;
const COPY_PART_SIZE = 512 * 1024 ** 2;

/** Server-side copy of any size; a failed multipart copy is aborted so no parts linger. */
export const copyS3Object = async (args: {
  client: S3Client;
  bucket: string;
  from: string;
  to: string;
  storageClass?: StorageClass;
  singleCopyLimitBytes?: number;
  partSizeBytes?: number;
}): Promise<void> => {
  const { client, bucket, from, to } = args;
  // Keys are restricted to URL-safe characters, so the source needs no further encoding.
  const CopySource = `${bucket}/${from}`;
  const StorageClass = args.storageClass;
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: from }));
  const size = head.ContentLength ?? 0;
  // S3 refuses to copy an object onto itself unchanged; the copy would be a no-op anyway.
  if (from === to) return;

  if (size <= (args.singleCopyLimitBytes ?? SINGLE_COPY_LIMIT)) {
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource, StorageClass }));
    return;
  }

  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: to,
      ContentType: head.ContentType,
      StorageClass,
    }),
  );
  try {
    const partSize = args.partSizeBytes ?? COPY_PART_SIZE;
    const parts: CompletedPart[] = [];
    for (let start = 0, PartNumber = 1; start < size; start += partSize, PartNumber += 1) {
      const end = Math.min(start + partSize, size) - 1;
      const result = await client.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: to,
          UploadId,
          PartNumber,
          CopySource,
          CopySourceRange: `bytes=${start}-${end}`,
        }),
      );
      parts.push({ PartNumber, ETag: result.CopyPartResult?.ETag });
    }
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: to,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
  } catch (error) {
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: to, UploadId }))
      .catch(() => {
        // The copy error is the one worth reporting; a bucket lifecycle rule sweeps what is left.
      });
    throw error;
  }
};
