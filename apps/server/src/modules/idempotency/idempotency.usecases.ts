import { createHash } from 'node:crypto';
import { invalidRequest } from '../../app/app-error.js';
import type { Db } from '../../db/database.js';
import { idempotencyKeyInProgress, idempotencyKeyReused } from './idempotency.errors.js';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
} from './idempotency.repository.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header, if sent: 1 to 255 visible ASCII characters (a UUID fits). */
export const readIdempotencyKey = (header: string | string[] | undefined): string | undefined => {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !KEY.test(header)) {
    throw invalidRequest(
      'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      'Idempotency-Key',
    );
  }
  return header;
};

/** One digest of what a request sent, compared between the first request and its retries. */
export const digestOf = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex');

export type Answer<T> = { status: number; body: T };

/**
 * Runs `work` at most once per user and key within 24 hours. The rule a client can rely on:
 * - the same key with the same request (method, route, query and what the body digests to)
 *   gets the first answer again, whatever happened since, with `Idempotent-Replayed: true`;
 * - the same key with another request is refused: 422 `idempotency_key_reused`;
 * - the same key while the first request still runs: 409 `conflict` (retry later);
 * - a request that failed gives its key back, so a retry runs for real.
 */
export const runIdempotently = async <T>({
  db,
  userId,
  key,
  target,
  work,
  digestBody,
}: {
  db: Db;
  userId: string;
  key: string;
  target: string;
  work: () => Promise<Answer<T> & { bodyDigest: string }>;
  /** On a retry: reads the body the client sent again and digests it as `work` did. */
  digestBody: () => Promise<string>;
}): Promise<Answer<T> & { replayed: boolean }> => {
  const claim = await claimIdempotencyKey(db, { userId, key, target });
  if (claim.claimed) {
    let answer: Answer<T> & { bodyDigest: string };
    try {
      answer = await work();
    } catch (error) {
      await releaseIdempotencyKey(db, { userId, key }).catch(() => undefined);
      throw error;
    }
    await completeIdempotencyKey(db, {
      userId,
      key,
      bodyDigest: answer.bodyDigest,
      status: answer.status,
      response: answer.body,
    });
    return { status: answer.status, body: answer.body, replayed: false };
  }
  const { existing } = claim;
  // Gone between the two statements (expired or given back): the client retries with it.
  if (!existing) throw idempotencyKeyInProgress();
  if (existing.target !== target) throw idempotencyKeyReused();
  if (existing.status === null) throw idempotencyKeyInProgress();
  if ((await digestBody()) !== existing.body_digest) throw idempotencyKeyReused();
  return { status: existing.status, body: existing.response as T, replayed: true };
};
