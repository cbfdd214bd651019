import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

/** How long a key is remembered; also how long a retry may come after the first request. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
/** A first request still unfinished after this long is taken to have died with its process. */
const ABANDONED_AFTER_MINUTES = 60;

/**
 * Takes the key for a new request, or returns the row already holding it. A row past its
 * 24 hours, or a claim whose request never finished within the hour, no longer holds it.
 */
export const claimIdempotencyKey = async (
  db: Db,
  { userId, key, target }: { userId: string; key: string; target: string },
) => {
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .where((eb) =>
      eb.or([
        eb(
          'created_at',
          '<',
          sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`,
        ),
        eb.and([
          eb('status', 'is', null),
          eb(
            'created_at',
            '<',
            sql<Date>`now() - make_interval(mins => ${ABANDONED_AFTER_MINUTES})`,
          ),
        ]),
      ]),
    )
    .execute();
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ user_id: userId, key, target, body_digest: null, status: null, response: null })
    .onConflict((conflict) => conflict.columns(['user_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (claimed) return { claimed: true as const };
  const existing = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst();
  return { claimed: false as const, existing };
};

export const completeIdempotencyKey = async (
  db: Db,
  args: { userId: string; key: string; bodyDigest: string; status: number; response: unknown },
) => {
  await db
    .updateTable('idempotency_keys')
    .set({
      body_digest: args.bodyDigest,
      status: args.status,
      response: JSON.stringify(args.response),
    })
    .where('user_id', '=', args.userId)
    .where('key', '=', args.key)
    .execute();
};

/** A request that failed gives its key back, so the client's retry runs for real. */
export const releaseIdempotencyKey = async (
  db: Db,
  { userId, key }: { userId: string; key: string },
) => {
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .where('status', 'is', null)
    .execute();
};

export const deleteExpiredIdempotencyKeys = async (db: Db) => {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where(
      'created_at',
      '<',
      sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`,
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
};
