import { verifySecondFactorCode } from '../../two-factor/two-factor.usecases.js';
import { findUserById } from '../accounts/users.repository.js';
import type { AuthDeps } from '../auth.deps.js';
import { hasPassword } from '../passwords/passwords.models.js';
import { secondFactorMethods } from '../../two-factor/second-factor-methods.repository.js';
import { listPasskeys } from '../../passkeys/passkeys.repository.js';
import { recordSecurityEvent, type RequestOrigin } from '../security-events.repository.js';
import { markSessionReauthenticated } from './recent-auth.repository.js';
import { confirmCurrentPassword } from './recent-auth.usecases.js';

export type ReauthProof =
  | { method: 'password'; password: string }
  | { method: 'code'; code: string }
  | { method: 'passkey'; verify: () => Promise<{ passkeyId: string }> };

/** The methods this account can confirm it is present with, for the page to offer. */
export const listReauthMethods = async ({ userId, ...deps }: AuthDeps & { userId: string }) => {
  const user = await findUserById(deps.db, userId);
  const codes = await secondFactorMethods(deps.db, userId);
  const passkeys = await listPasskeys(deps.db, userId);
  return [
    ...(user && hasPassword(user.password_hash) ? ['password' as const] : []),
    ...(codes.includes('totp') ? ['code' as const] : []),
    ...(passkeys.length > 0 ? ['passkey' as const] : []),
  ];
};

/**
 * Any enrolled method proves presence again: the password, an authenticator or recovery code,
 * or a passkey of this account. Each is limited and recorded like a sign-in with it.
 */
export const reauthenticate = async ({
  userId,
  sessionId,
  origin,
  proof,
  ...deps
}: AuthDeps & { userId: string; sessionId: string; origin: RequestOrigin; proof: ReauthProof }) => {
  let details: Record<string, unknown>;
  switch (proof.method) {
    case 'password':
      await confirmCurrentPassword({
        ...deps,
        userId,
        sessionId,
        password: proof.password,
        origin,
        during: 'reauth',
      });
      details = { via: 'password' };
      break;
    case 'code':
      details = {
        via: await verifySecondFactorCode({
          ...deps,
          userId,
          sessionId,
          origin,
          code: proof.code,
          during: 'reauth',
          failStatus: 403,
        }),
      };
      break;
    case 'passkey':
      details = { via: 'passkey', ...(await proof.verify()) };
      break;
  }
  await markSessionReauthenticated(deps.db, { sessionId });
  await recordSecurityEvent(deps.db, {
    userId,
    type: 'reauthenticated',
    sessionId,
    origin,
    details,
  });
};
