import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';

export const findUserByEmail = (db: Db, email: string) =>
  db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();

export const findUserById = (db: Db, id: string) =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

/** Undefined when the address is taken (the unique index decides, race-free). */
export const insertUser = async (
  db: Db,
  user: { id: string; email: string; passwordHash: string; verifiedAt: Date | null },
) =>
  db
    .insertInto('users')
    .values({
      id: user.id,
      email: user.email,
      password_hash: user.passwordHash,
      email_verified_at: user.verifiedAt,
    })
    .onConflict((conflict) => conflict.expression(sql`lower(email)`).doNothing())
    .returningAll()
    .executeTakeFirst();

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
