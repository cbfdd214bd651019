import type { RateCounter } from '../../../rate-counter/rate-counter.types.js';
import { rateLimited } from '../auth.errors.js';

/**
 * Spends one call of a fixed-window budget, counted in the shared RateCounter so every API
 * process counts together. Every limited answer says where the caller stands, in the IETF
 * RateLimit header fields draft's `RateLimit-*` names.
 */
const spendBudget = async ({
  counters,
  key,
  limit,
  windowSeconds,
}: {
  counters: RateCounter;
  key: string;
  limit: number;
  windowSeconds: number;
}): Promise<Record<string, string>> => {
  const { count, retryAfterSeconds } = await counters.hit(key, windowSeconds);
  const headers = {
    'ratelimit-policy': `${limit};w=${windowSeconds}`,
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': String(Math.max(0, limit - count)),
    'ratelimit-reset': String(retryAfterSeconds),
  };
  if (count > limit) {
    const window = windowSeconds === 1 ? 'a second' : `${windowSeconds} s`;
    throw rateLimited(retryAfterSeconds, {
      message: `This token made more than ${limit} requests in ${window}; wait ${retryAfterSeconds} s.`,
      headers,
    });
  }
  return headers;
};

/** API calls with a personal token: per token (not per IP: a script may run anywhere), a minute. */
export const limitTokenCall = ({
  counters,
  tokenId,
  perMinute,
}: {
  counters: RateCounter;
  tokenId: string;
  perMinute: number;
}) => spendBudget({ counters, key: `token:${tokenId}`, limit: perMinute, windowSeconds: 60 });

/**
 * WebDAV calls with a personal token (an app password): a budget apart from the API's, and
 * larger. WebDAV spends a request per file and per folder, so a sync of a thousand files is a few
 * thousand requests in well under a minute; and one 429 costs a client far more than a second:
 * rclone's pacer, shared by all its transfers, backs every call off to 2 s apart and recovers
 * slowly, and it gives a file up after ten tries. So the budget is set above what a client's own
 * parallelism reaches, while a runaway one (a loop, a retry storm) still runs into it.
 */
export const limitDavCall = ({
  counters,
  tokenId,
  perMinute,
}: {
  counters: RateCounter;
  tokenId: string;
  perMinute: number;
}) => spendBudget({ counters, key: `token-dav:${tokenId}`, limit: perMinute, windowSeconds: 60 });
