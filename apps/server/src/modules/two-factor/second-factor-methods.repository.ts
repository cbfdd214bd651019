import type { Db } from '../../db/database.js';

export type SecondFactorMethod = 'totp' | 'recovery_code' | 'passkey';

/**
 * Two-factor is on when a TOTP authenticator is confirmed; then a recovery code, and any
 * passkey of the account, may stand in for the code. Passkeys alone do not turn it on: they
 * sign in by themselves, and an account with passkeys but no recovery codes must not be locked
 * out of its password sign-in when the passkey is lost. Empty: the password is enough.
 */
export const secondFactorMethods = async (
  db: Db,
  userId: string,
): Promise<SecondFactorMethod[]> => {
  const totp = await db
    .selectFrom('totp_credentials')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
  if (!totp) return [];
  const passkey = await db
    .selectFrom('passkeys')
    .select('id')
    .where('user_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return passkey ? ['totp', 'recovery_code', 'passkey'] : ['totp', 'recovery_code'];
};
