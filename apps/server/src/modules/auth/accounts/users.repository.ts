import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import { isoTimestamp } from '../../../db/iso-timestamp.js';
import type { UserRole } from '../auth.tables.js';

export const findUserByEmail = (db: Db, email: string) =>
  db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();

export const findUserById = (db: Db, id: string) =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

/** What `GET /api/auth/me` answers from: no password hash, the creation time as ISO text. */
export const findAccountRowById = (db: Db, id: string) =>
  db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'email_verified_at', 'deleted_at'])
    .select(isoTimestamp('created_at').as('created_at'))
    .where('id', '=', id)
    .executeTakeFirst();

/** Any key for PostgreSQL's advisory lock that makes concurrent first sign-ups take turns. */
const FIRST_ACCOUNT_LOCK = 0x6d79_6669;

/**
 * Undefined when the address is taken (the unique index decides, race-free). The first account
 * of an instance is its administrator: on an empty table, concurrent sign-ups take turns on a
 * lock, so exactly one of them sees no account before it.
 */
export const insertUser = async (
  db: Db,
  user: { id: string; email: string; passwordHash: string; verifiedAt: Date | null },
) => {
  const insert = async (trx: Db) => {
    const anyAccount = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (!anyAccount) await sql`select pg_advisory_xact_lock(${FIRST_ACCOUNT_LOCK})`.execute(trx);
    return trx
      .insertInto('users')
      .values({
        id: user.id,
        email: user.email,
        password_hash: user.passwordHash,
        email_verified_at: user.verifiedAt,
        role: sql<UserRole>`case when exists (select 1 from users) then 'user' else 'admin' end`,
      })
      .onConflict((conflict) => conflict.expression(sql`lower(email)`).doNothing())
      .returningAll()
      .executeTakeFirst();
  };
  return db.isTransaction ? insert(db) : db.transaction().execute(insert);
};

export const setPasswordHash = (
  db: Db,
  { id, passwordHash }: { id: string; passwordHash: string },
) =>
  db
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .execute();

/** Silent re-hash with today's parameters; the password itself did not change. */
export const upgradePasswordHash = (
  db: Db,
  { id, passwordHash }: { id: string; passwordHash: string },
) => db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();

export const markEmailVerified = (db: Db, id: string) =>
  db
    .updateTable('users')
    .set({ email_verified_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .where('email_verified_at', 'is', null)
    .execute();

/** Shares the account's row lock until the transaction ends: a concurrent disable waits, or is seen. */
export const lockAccountForSignIn = (db: Db, id: string) =>
  db
    .selectFrom('users')
    .select(['disabled_at', 'deleted_at'])
    .where('id', '=', id)
    .forShare()
    .executeTakeFirst();

/** The account row, locked until the transaction ends (for checks across several tables). */
export const lockUser = (db: Db, id: string) =>
  db.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
