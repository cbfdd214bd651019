import { uuidv7 } from 'uuidv7';
import type { Db } from '../../db/database.js';

export const findIdentity = (db: Db, { issuer, subject }: { issuer: string; subject: string }) =>
  db
    .selectFrom('oidc_identities')
    .selectAll()
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst();

/** Undefined when that provider account is already linked (the unique key decides, race-free). */
export const insertIdentity = (
  db: Db,
  identity: {
    userId: string;
    provider: string;
    issuer: string;
    subject: string;
    email: string | null;
  },
) =>
  db
    .insertInto('oidc_identities')
    .values({
      id: uuidv7(),
      user_id: identity.userId,
      provider: identity.provider,
      issuer: identity.issuer,
      subject: identity.subject,
      email: identity.email,
    })
    .onConflict((conflict) => conflict.columns(['issuer', 'subject']).doNothing())
    .returningAll()
    .executeTakeFirst();

export const touchIdentity = (db: Db, { id, email }: { id: string; email: string | null }) =>
  db
    .updateTable('oidc_identities')
    .set({ last_used_at: new Date(), email })
    .where('id', '=', id)
    .execute();

export const listIdentitiesOfUser = (db: Db, userId: string) =>
  db
    .selectFrom('oidc_identities')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();

export const deleteIdentityOfUser = (db: Db, { userId, id }: { userId: string; id: string }) =>
  db
    .deleteFrom('oidc_identities')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
