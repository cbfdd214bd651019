import type { AuthDeps } from '../auth/auth.deps.js';
import { startSignedInSession } from '../auth/accounts/accounts.usecases.js';
import { findUserById } from '../auth/accounts/users.repository.js';
import { insertUsedLink, type RequestOrigin } from '../auth/security-events.repository.js';
import { readPendingSignIn } from './pending-sign-in.models.js';
import { pendingSignInInvalid } from './two-factor.errors.js';
import { verifySecondFactorCode } from './two-factor.usecases.js';

/** The account a pending sign-in names, if the token is genuine, fresh and its password current. */
export const findPendingSignIn = async ({
  pendingToken,
  ...deps
}: AuthDeps & { pendingToken: string }) => {
  const claims = readPendingSignIn({ ring: deps.ring(), token: pendingToken });
  if (!claims) throw pendingSignInInvalid();
  const user = await findUserById(deps.db, claims.sub);
  if (!user || user.password_changed_at.getTime() !== claims.pwd) throw pendingSignInInvalid();
  return {
    user,
    /** One pending sign-in ends in at most one session. */
    spend: async () => {
      const fresh = await insertUsedLink(deps.db, {
        jti: claims.jti,
        purpose: claims.p,
        expiresAt: new Date(claims.exp * 1000),
      });
      if (!fresh) throw pendingSignInInvalid();
    },
  };
};

export const finishSignInWithCode = async ({
  pendingToken,
  code,
  origin,
  ...deps
}: AuthDeps & { pendingToken: string; code: string; origin: RequestOrigin }) => {
  const pending = await findPendingSignIn({ ...deps, pendingToken });
  const kind = await verifySecondFactorCode({
    ...deps,
    userId: pending.user.id,
    sessionId: null,
    origin,
    code,
    during: 'sign_in',
    failStatus: 401,
  });
  await pending.spend();
  return startSignedInSession({
    ...deps,
    user: pending.user,
    origin,
    details: { via: 'password', secondFactor: kind },
  });
};
