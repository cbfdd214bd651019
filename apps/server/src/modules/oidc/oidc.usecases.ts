import type * as client from 'openid-client';
import { uuidv7 } from 'uuidv7';
import { findUserByEmail, findUserById, insertUser } from '../auth/accounts/users.repository.js';
import { normalizeEmail } from '../auth/accounts/email.models.js';
import { NO_PASSWORD_HASH } from '../auth/passwords/passwords.models.js';
import { recordSecurityEvent, type RequestOrigin } from '../auth/security-events.repository.js';
import { startSession, type IssuedSession } from '../auth/sessions/sessions.usecases.js';
import { loadOpenidClient } from './oidc.client.js';
import type { OidcProviderConfig } from './oidc.config.js';
import type { OidcDeps } from './oidc.deps.js';
import {
  alreadyLinkedElsewhere,
  identityNotFound,
  notLinked,
  providerUnavailable,
  signInFailed,
  unknownProvider,
} from './oidc.errors.js';
import { FLOW_TTL_SECONDS, openFlow, sealFlow, type OidcFlow } from './oidc.flow.models.js';
import { ensureAnotherWayToSignIn } from '../auth/accounts/sign-in-ways.usecases.js';
import {
  deleteIdentityOfUser,
  findIdentity,
  insertIdentity,
  listIdentitiesOfUser,
  touchIdentity,
} from './oidc.repository.js';

export const callbackUrlOf = (publicUrl: string, providerId: string) =>
  `${publicUrl}/api/auth/oidc/${providerId}/callback`;

export const getProviderOrThrow = (providers: OidcProviderConfig[], id: string) => {
  const provider = providers.find((candidate) => candidate.id === id);
  if (!provider) throw unknownProvider();
  return provider;
};

/** The provider's authorization URL, and the sealed flow the browser keeps until the callback. */
export const beginOidcFlow = async ({
  providerId,
  mode,
  userId,
  next,
  ...deps
}: OidcDeps & {
  providerId: string;
  mode: OidcFlow['mode'];
  userId: string | null;
  next: string;
}) => {
  const provider = getProviderOrThrow(deps.providers, providerId);
  const configuration = await deps.clients.configurationOf(provider);
  const openid = await loadOpenidClient();
  const flow: OidcFlow = {
    provider: provider.id,
    state: openid.randomState(),
    nonce: openid.randomNonce(),
    codeVerifier: openid.randomPKCECodeVerifier(),
    mode,
    userId,
    next,
    expiresAt: Math.floor(Date.now() / 1000) + FLOW_TTL_SECONDS,
  };
  const url = openid.buildAuthorizationUrl(configuration, {
    redirect_uri: callbackUrlOf(deps.publicUrl, provider.id),
    scope: provider.scopes,
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await openid.calculatePKCECodeChallenge(flow.codeVerifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, sealedFlow: sealFlow(deps.ring(), flow) };
};

/** The network failed, or the provider answered with a server error: it is down, not us. */
const isProviderDown = (openid: typeof client, error: unknown) =>
  (error instanceof TypeError && error.message === 'fetch failed') ||
  (error instanceof DOMException &&
    (error.name === 'TimeoutError' || error.name === 'AbortError')) ||
  (error instanceof openid.ClientError && error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM');

const exchangeCode = async ({
  provider,
  flow,
  query,
  ...deps
}: OidcDeps & { provider: OidcProviderConfig; flow: OidcFlow; query: string }) => {
  const configuration = await deps.clients.configurationOf(provider);
  const openid = await loadOpenidClient();
  const redirectUri = callbackUrlOf(deps.publicUrl, provider.id);
  try {
    const tokens = await openid.authorizationCodeGrant(
      configuration,
      new URL(`${redirectUri}${query ? `?${query}` : ''}`),
      {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      },
    );
    const claims = tokens.claims();
    if (!claims) throw signInFailed(`${provider.label} sent no ID token.`);
    return claims;
  } catch (error) {
    if (isProviderDown(openid, error)) throw providerUnavailable(provider.label, error);
    if (error instanceof openid.AuthorizationResponseError) {
      throw signInFailed(`${provider.label} did not sign you in (${error.error}).`, error);
    }
    throw signInFailed(
      `${provider.label} sign-in could not be verified, so it was refused. Start again.`,
      error,
    );
  }
};

const verifiedEmailOf = (claims: client.IDToken) => {
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  return verified && typeof claims.email === 'string' && claims.email.includes('@')
    ? normalizeEmail(claims.email)
    : null;
};

const emailOf = (claims: client.IDToken) =>
  typeof claims.email === 'string' ? claims.email.slice(0, 320) : null;

export type OidcOutcome =
  { kind: 'signed_in'; session: IssuedSession; next: string } | { kind: 'linked'; next: string };

/**
 * The callback. The provider account is looked up by (issuer, subject) only: an email address,
 * verified or not, never links it to an existing account (whoever controls a provider account
 * with that address would otherwise take the account over).
 */
export const completeOidcFlow = async ({
  providerId,
  query,
  sealedFlow,
  origin,
  ...deps
}: OidcDeps & {
  providerId: string;
  query: string;
  sealedFlow: string | undefined;
  origin: RequestOrigin;
}): Promise<OidcOutcome> => {
  const provider = getProviderOrThrow(deps.providers, providerId);
  const flow = openFlow(deps.ring(), sealedFlow);
  if (!flow || flow.provider !== provider.id) {
    throw signInFailed(
      'This sign-in attempt expired or was started in another browser. Start again.',
    );
  }
  const claims = await exchangeCode({ ...deps, provider, flow, query });
  const issuer = claims.iss;
  const subject = claims.sub;
  const identity = await findIdentity(deps.db, { issuer, subject });

  if (flow.mode === 'link') {
    const userId = flow.userId ?? '';
    if (identity && identity.user_id !== userId) throw alreadyLinkedElsewhere(provider.label);
    await deps.db.transaction().execute(async (trx) => {
      if (!(await findUserById(trx, userId))) throw signInFailed('Your account no longer exists.');
      if (identity) return;
      const inserted = await insertIdentity(trx, {
        userId,
        provider: provider.id,
        issuer,
        subject,
        email: emailOf(claims),
      });
      if (!inserted) throw alreadyLinkedElsewhere(provider.label);
      await recordSecurityEvent(trx, {
        userId,
        type: 'sso_linked',
        origin,
        details: { provider: provider.id, issuer },
      });
    });
    return { kind: 'linked', next: flow.next };
  }

  const session = await deps.db.transaction().execute(async (trx) => {
    let userId = identity?.user_id;
    if (identity) {
      await touchIdentity(trx, { id: identity.id, email: emailOf(claims) });
    } else {
      userId = await signUpWithProvider({ ...deps, db: trx, provider, claims, origin });
    }
    const started = await startSession({ ...deps, db: trx, userId: userId ?? '', origin });
    await recordSecurityEvent(trx, {
      userId: started.userId,
      type: 'sign_in',
      sessionId: started.sessionId,
      origin,
      details: { via: 'sso', provider: provider.id },
    });
    return started;
  });
  return { kind: 'signed_in', session, next: flow.next };
};

const signUpWithProvider = async ({
  provider,
  claims,
  origin,
  ...deps
}: OidcDeps & { provider: OidcProviderConfig; claims: client.IDToken; origin: RequestOrigin }) => {
  const linkHint = `sign in another way and link ${provider.label} from your account's security section`;
  if (!deps.allowSignup) {
    throw notLinked(`No My File account is linked to this ${provider.label} account: ${linkHint}.`);
  }
  const email = verifiedEmailOf(claims);
  if (!email) {
    throw notLinked(
      `${provider.label} did not confirm a verified email address, which a new account needs.`,
    );
  }
  if (await findUserByEmail(deps.db, email)) {
    throw notLinked(`An account with ${email} already exists: ${linkHint}.`);
  }
  // The account has no password; "forgot password" can give it one later.
  const user = await insertUser(deps.db, {
    id: uuidv7(),
    email,
    passwordHash: NO_PASSWORD_HASH,
    verifiedAt: new Date(),
  });
  if (!user) throw notLinked(`An account with ${email} already exists: ${linkHint}.`);
  const linked = await insertIdentity(deps.db, {
    userId: user.id,
    provider: provider.id,
    issuer: claims.iss,
    subject: claims.sub,
    email: emailOf(claims),
  });
  if (!linked) throw alreadyLinkedElsewhere(provider.label);
  await recordSecurityEvent(deps.db, {
    userId: user.id,
    type: 'sso_linked',
    origin,
    details: { provider: provider.id, issuer: claims.iss, via: 'sign_up' },
  });
  return user.id;
};

export const listLinkedProviders = async ({ userId, ...deps }: OidcDeps & { userId: string }) => {
  const rows = await listIdentitiesOfUser(deps.db, userId);
  return rows.map((row) => ({
    id: row.id,
    provider: row.provider,
    label: deps.providers.find((provider) => provider.id === row.provider)?.label ?? row.provider,
    email: row.email,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at.toISOString(),
  }));
};

/** Unlinks a provider account, unless it is the last way left to sign in to this one. */
export const unlinkProvider = async ({
  userId,
  sessionId,
  origin,
  id,
  ...deps
}: OidcDeps & { userId: string; sessionId: string; origin: RequestOrigin; id: string }) =>
  deps.db.transaction().execute(async (trx) => {
    await ensureAnotherWayToSignIn({
      ...deps,
      db: trx,
      userId,
      leaving: { kind: 'provider', id },
    });
    const removed = await deleteIdentityOfUser(trx, { userId, id });
    if (!removed) throw identityNotFound();
    await recordSecurityEvent(trx, {
      userId,
      type: 'sso_unlinked',
      sessionId,
      origin,
      details: { provider: removed.provider, issuer: removed.issuer },
    });
  });
