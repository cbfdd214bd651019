import type { RateCounter } from '../../../rate-counter/rate-counter.types.js';
import { rateLimited } from '../auth.errors.js';

const WINDOW_SECONDS = 60;

/**
 * Personal-token calls are limited per token (not per IP: a script may run anywhere), counted
 * in the shared RateCounter so every API process counts together. Every limited answer says
 * where the caller stands, in the IETF RateLimit header fields draft's `RateLimit-*` names.
 */
export const limitTokenCall = async ({
  counters,
  tokenId,
  perMinute,
}: {
  counters: RateCounter;
  tokenId: string;
  perMinute: number;
}): Promise<Record<string, string>> => {
  const { count, retryAfterSeconds } = await counters.hit(`token:${tokenId}`, WINDOW_SECONDS);
  const headers = {
    'ratelimit-policy': `${perMinute};w=${WINDOW_SECONDS}`,
    'ratelimit-limit': String(perMinute),
    'ratelimit-remaining': String(Math.max(0, perMinute - count)),
    'ratelimit-reset': String(retryAfterSeconds),
  };
  if (count > perMinute) {
    throw rateLimited(retryAfterSeconds, {
      message: `This token made more than ${perMinute} requests in a minute; wait ${retryAfterSeconds} s.`,
      headers,
    });
  }
  return headers;
};
