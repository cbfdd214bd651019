import { verifySecondFactorCode } from '../../two-factor/two-factor.usecases.js';
import type { AuthDeps } from '../auth.deps.js';
import { recordSecurityEvent, type RequestOrigin } from '../security-events.repository.js';
import { markSessionReauthenticated } from './recent-auth.repository.js';
import { confirmCurrentPassword } from './recent-auth.usecases.js';

export type ReauthProof =
  | { method: 'password'; password: string }
  | { method: 'code'; code: string }
  | { method: 'passkey'; verify: () => Promise<{ passkeyId: string }> };

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
