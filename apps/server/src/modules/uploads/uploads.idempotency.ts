import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** What a multipart upload sent, as its idempotency digest sees it. */
export type SentPart = { name: string; sha256: string };

/**
 * A retry of an upload already done: its parts are read and hashed as they stream by, and
 * nothing is stored, so the retry can be compared with the first request.
 */
export const digestParts = async (
  parts: AsyncIterable<{ filename: string; file: Readable }>,
): Promise<SentPart[]> => {
  const sent: SentPart[] = [];
  for await (const part of parts) {
    const hash = createHash('sha256');
    for await (const chunk of part.file) hash.update(chunk as Buffer);
    sent.push({ name: part.filename, sha256: hash.digest('hex') });
  }
  return sent;
};
