import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, invalidRequest } from '../../app/app-error.js';

/** tus checksum extension: the algorithms a PATCH may name in `Upload-Checksum`. */
export const TUS_CHECKSUM_ALGORITHMS = ['sha1', 'sha256'] as const;
type ChecksumAlgorithm = (typeof TUS_CHECKSUM_ALGORITHMS)[number];

const checksumMismatch = () =>
  new AppError({
    code: 'checksum_mismatch',
    statusCode: 460,
    message:
      'The chunk does not match its Upload-Checksum; it was discarded and the offset is unchanged. Send it again.',
  });

/** `Upload-Checksum: <algorithm> <base64 digest>`; anything else, or another algorithm, is a 400. */
export const parseUploadChecksum = (
  header: string,
): { algorithm: ChecksumAlgorithm; digest: string } => {
  const [algorithm = '', digest = '', ...rest] = header.trim().split(/\s+/);
  if (!(TUS_CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw invalidRequest(
      `Upload-Checksum algorithm "${algorithm}" is not supported; use one of ${TUS_CHECKSUM_ALGORITHMS.join(', ')}.`,
      'upload-checksum',
    );
  }
  if (rest.length > 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(digest)) {
    throw invalidRequest(
      'Upload-Checksum must be "<algorithm> <base64 digest>".',
      'upload-checksum',
    );
  }
  return { algorithm: algorithm as ChecksumAlgorithm, digest };
};

/**
 * A PATCH chunk that names its checksum is written to a spool file under `dir` while it is
 * hashed: tus's stores append as the bytes arrive and cannot take a chunk back, so only a chunk
 * that matched is handed on (as a stream from the spool). On a mismatch the chunk is dropped and
 * the upload's offset never moves. Call `release` once tus is done with the body.
 */
export const verifyChunk = async ({
  dir,
  body,
  checksum,
}: {
  dir: string;
  body: Readable;
  checksum: { algorithm: ChecksumAlgorithm; digest: string };
}): Promise<{ body: Readable; release: () => Promise<void> }> => {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const spool = path.join(dir, `${randomUUID()}.chunk`);
  const release = () => fs.rm(spool, { force: true });
  try {
    const hash = createHash(checksum.algorithm);
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(spool, { mode: 0o600 }),
    );
    if (hash.digest('base64') !== checksum.digest) throw checksumMismatch();
    return { body: createReadStream(spool), release };
  } catch (error) {
    await release();
    throw error;
  }
};

/** Spool files a killed process left behind; the directory is this process's (DATA_DIR). */
export const clearChunkSpool = (dir: string) => fs.rm(dir, { recursive: true, force: true });
