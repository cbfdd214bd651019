import { AppError } from '../../../app/app-error.js';
import type { Db } from '../../../db/database.js';
import type { OidcProviderConfig } from '../../oidc/oidc.config.js';
import { listIdentitiesOfUser } from '../../oidc/oidc.repository.js';
import { listPasskeys } from '../../passkeys/passkeys.repository.js';
import { hasPassword } from '../passwords/passwords.models.js';
import { lockUser } from './users.repository.js';

/** What decides whether an account can still sign in: PASSWORD_SIGNIN and the configured providers. */
export type SignInWaysDeps = {
  db: Db;
  passwordSignIn: boolean;
  providers: Pick<OidcProviderConfig, 'id'>[];
};

export type SignInWay =
  { kind: 'password' } | { kind: 'provider'; id: string } | { kind: 'passkey'; id: string };

export const lastWayToSignIn = () =>
  new AppError({
    code: 'conflict',
    statusCode: 409,
    message:
      'This is your last way to sign in: add a passkey, link another provider or set a password first.',
  });

/**
 * The ways this account can sign in today: its password (when password sign-in is on and it
 * has one), each linked provider that is still configured, each passkey.
 */
export const listSignInWays = async ({
  userId,
  ...deps
}: SignInWaysDeps & { userId: string }): Promise<SignInWay[]> => {
  const user = await lockUser(deps.db, userId);
  const identities = await listIdentitiesOfUser(deps.db, userId);
  const passkeys = await listPasskeys(deps.db, userId);
  return [
    ...(deps.passwordSignIn && user && hasPassword(user.password_hash)
      ? [{ kind: 'password' as const }]
      : []),
    ...identities
      .filter((identity) => deps.providers.some((provider) => provider.id === identity.provider))
      .map((identity) => ({ kind: 'provider' as const, id: identity.id })),
    ...passkeys.map((passkey) => ({ kind: 'passkey' as const, id: passkey.id })),
  ];
};

/**
 * Refuses to take away the account's last way to sign in. Call it in the transaction that
 * removes `leaving`: the account row stays locked until then, so two removals cannot each
 * count the other's way as the one left.
 */
export const ensureAnotherWayToSignIn = async ({
  leaving,
  ...deps
}: SignInWaysDeps & { userId: string; leaving: Exclude<SignInWay, { kind: 'password' }> }) => {
  const ways = await listSignInWays(deps);
  const others = ways.filter((way) => !(way.kind === leaving.kind && way.id === leaving.id));
  if (others.length === 0) throw lastWayToSignIn();
};
