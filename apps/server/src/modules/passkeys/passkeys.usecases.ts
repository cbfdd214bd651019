import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { uuidv7 } from 'uuidv7';
import type { AuthDeps } from '../auth/auth.deps.js';
import { startSignedInSession } from '../auth/accounts/accounts.usecases.js';
import {
  ensureAnotherWayToSignIn,
  type SignInWaysDeps,
} from '../auth/accounts/sign-in-ways.usecases.js';
import { findUserById } from '../auth/accounts/users.repository.js';
import { deviceLabel } from '../auth/auth.models.js';
import {
  LINK_TTL_SECONDS,
  signLink,
  verifyLink,
  type LinkPurpose,
} from '../auth/links/signed-links.models.js';
import {
  insertUsedLink,
  recordSecurityEvent,
  type RequestOrigin,
} from '../auth/security-events.repository.js';
import { findPendingSignIn } from '../two-factor/second-factor-sign-in.usecases.js';
import {
  passkeyAlreadyRegistered,
  passkeyChallengeInvalid,
  passkeyNotFound,
  passkeyRefused,
} from './passkeys.errors.js';
import { defaultPasskeyName, relyingPartyOf } from './passkeys.models.js';
import {
  deletePasskey,
  findPasskeyByCredentialId,
  insertPasskey,
  listPasskeys,
  recordPasskeyUse,
  renamePasskey,
} from './passkeys.repository.js';

type Actor = { userId: string; sessionId: string; origin: RequestOrigin };
type Ceremony = Extract<LinkPurpose, 'passkey-register' | 'passkey-sign-in'>;

/**
 * Loaded by the first passkey request, not at start: the WebAuthn library and the X.509 and
 * ASN.1 parsers under it cost about 0.2 s of CPU and 4 MiB of heap, in every process, whether
 * or not anyone there ever uses a passkey.
 */
const webauthn = () => import('@simplewebauthn/server');

const TRANSPORTS: readonly AuthenticatorTransportFuture[] = [
  'ble',
  'cable',
  'hybrid',
  'internal',
  'nfc',
  'smart-card',
  'usb',
];
const knownTransports = (values: readonly string[]) =>
  TRANSPORTS.filter((transport) => values.includes(transport));

/**
 * The challenge travels signed (who it is for, which ceremony, five minutes) instead of in a
 * server-side store; spending it records its id, so each challenge is answered at most once.
 */
const signChallenge = (
  deps: AuthDeps,
  { purpose, userId, challenge }: { purpose: Ceremony; userId: string; challenge: string },
) =>
  signLink(deps.ring(), {
    p: purpose,
    sub: userId,
    jti: challenge,
    exp: Math.floor(Date.now() / 1000) + LINK_TTL_SECONDS[purpose],
  });

const spendChallenge = async (
  deps: AuthDeps,
  { purpose, token }: { purpose: Ceremony; token: string },
) => {
  const claims = verifyLink({ ring: deps.ring(), token, purpose });
  if (!claims) throw passkeyChallengeInvalid();
  const fresh = await insertUsedLink(deps.db, {
    jti: `${purpose}:${claims.jti}`,
    purpose,
    expiresAt: new Date(claims.exp * 1000),
  });
  if (!fresh) throw passkeyChallengeInvalid();
  return { challenge: claims.jti, userId: claims.sub };
};

/** WebAuthn options JSON as a plain record: the browser library reads it, the server does not. */
const asJsonRecord = (options: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(options));

const toDto = (row: Awaited<ReturnType<typeof listPasskeys>>[number]) => ({
  id: row.id,
  name: row.name,
  backedUp: row.backed_up,
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
});

export const listAccountPasskeys = async ({ userId, ...deps }: AuthDeps & { userId: string }) =>
  (await listPasskeys(deps.db, userId)).map(toDto);

/** Discoverable (resident) and user-verifying: the passkey alone is a full sign-in. */
export const startPasskeyRegistration = async ({
  userId,
  ...deps
}: AuthDeps & { userId: string }) => {
  const user = await findUserById(deps.db, userId);
  if (!user) throw passkeyNotFound();
  const { rpID, rpName } = relyingPartyOf(deps.publicUrl);
  const existing = await listPasskeys(deps.db, userId);
  const { generateRegistrationOptions } = await webauthn();
  const options = await generateRegistrationOptions({
    rpName,
    rpID,
    userName: user.email,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((passkey) => ({
      id: passkey.credential_id,
      transports: knownTransports(passkey.transports),
    })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  return {
    options: asJsonRecord(options),
    challengeToken: signChallenge(deps, {
      purpose: 'passkey-register',
      userId,
      challenge: options.challenge,
    }),
  };
};

export const finishPasskeyRegistration = async ({
  userId,
  sessionId,
  origin,
  challengeToken,
  response,
  name,
  userAgent,
  ...deps
}: AuthDeps &
  Actor & {
    challengeToken: string;
    response: RegistrationResponseJSON;
    name: string | undefined;
    userAgent: string | null;
  }) => {
  const spent = await spendChallenge(deps, { purpose: 'passkey-register', token: challengeToken });
  if (spent.userId !== userId) throw passkeyChallengeInvalid();
  const relyingParty = relyingPartyOf(deps.publicUrl);
  const { verifyRegistrationResponse } = await webauthn();
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: spent.challenge,
    expectedOrigin: relyingParty.origin,
    expectedRPID: relyingParty.rpID,
    requireUserVerification: true,
  }).catch(() => undefined);
  const info = verification?.verified ? verification.registrationInfo : undefined;
  if (!info) throw passkeyRefused(403, 'The passkey could not be verified; try again.');
  const count = (await listPasskeys(deps.db, userId)).length;
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await insertPasskey(trx, {
      id: uuidv7(),
      userId,
      credentialId: info.credential.id,
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
      transports: info.credential.transports ?? response.response.transports ?? [],
      name: name?.trim() || defaultPasskeyName(deviceLabel(userAgent), count),
      backedUp: info.credentialBackedUp,
    });
    if (!inserted) throw passkeyAlreadyRegistered();
    await recordSecurityEvent(trx, {
      userId,
      type: 'passkey_added',
      sessionId,
      origin,
      details: { passkeyId: inserted.id, name: inserted.name },
    });
    return inserted;
  });
  return toDto(row);
};

export const renameAccountPasskey = async ({
  userId,
  sessionId,
  origin,
  id,
  name,
  ...deps
}: AuthDeps & Actor & { id: string; name: string }) => {
  const row = await renamePasskey(deps.db, { userId, id, name: name.trim() });
  if (!row) throw passkeyNotFound();
  await recordSecurityEvent(deps.db, {
    userId,
    type: 'passkey_renamed',
    sessionId,
    origin,
    details: { passkeyId: id, name: row.name },
  });
  return toDto(row);
};

/** Removes a passkey, unless it is the last way left to sign in to the account. */
export const removeAccountPasskey = async ({
  userId,
  sessionId,
  origin,
  id,
  ...deps
}: AuthDeps & SignInWaysDeps & Actor & { id: string }) =>
  deps.db.transaction().execute(async (trx) => {
    await ensureAnotherWayToSignIn({ ...deps, db: trx, userId, leaving: { kind: 'passkey', id } });
    const row = await deletePasskey(trx, { userId, id });
    if (!row) throw passkeyNotFound();
    await recordSecurityEvent(trx, {
      userId,
      type: 'passkey_removed',
      sessionId,
      origin,
      details: { passkeyId: id, name: row.name },
    });
  });

/**
 * Options for an assertion. Without `forUserId` (a usernameless sign-in) no credential is
 * listed and the authenticator offers the discoverable ones it holds for this site; with it
 * (a second factor, a reauthentication) only that account's passkeys are asked for.
 */
export const startPasskeyAssertion = async ({
  forUserId,
  ...deps
}: AuthDeps & { forUserId: string | undefined }) => {
  const { rpID } = relyingPartyOf(deps.publicUrl);
  const allow = forUserId ? await listPasskeys(deps.db, forUserId) : [];
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({
    rpID,
    userVerification: 'required',
    allowCredentials: allow.map((passkey) => ({
      id: passkey.credential_id,
      transports: knownTransports(passkey.transports),
    })),
  });
  return {
    options: asJsonRecord(options),
    challengeToken: signChallenge(deps, {
      purpose: 'passkey-sign-in',
      userId: forUserId ?? '',
      challenge: options.challenge,
    }),
  };
};

/**
 * Checks an assertion: the challenge is this server's and unspent, the credential is known,
 * the signature verifies with its key, origin and RP ID are ours, the user was verified, and
 * the signature counter (when the authenticator keeps one) moved forward. Returns the passkey.
 */
export const verifyPasskeyAssertion = async ({
  challengeToken,
  response,
  expectedUserId,
  origin,
  failStatus,
  during,
  ...deps
}: AuthDeps & {
  challengeToken: string;
  response: AuthenticationResponseJSON;
  /** The account the passkey must belong to (second factor, reauthentication). */
  expectedUserId: string | undefined;
  origin: RequestOrigin;
  failStatus: 401 | 403;
  during: string;
}) => {
  const spent = await spendChallenge(deps, { purpose: 'passkey-sign-in', token: challengeToken });
  const passkey = await findPasskeyByCredentialId(deps.db, response.id);
  if (!passkey) throw passkeyRefused(failStatus, 'This passkey is not registered here.');
  // A challenge made for one account is answered by that account's passkey only.
  if (
    spent.userId !== (expectedUserId ?? '') ||
    (expectedUserId && expectedUserId !== passkey.user_id)
  ) {
    throw passkeyRefused(failStatus);
  }
  const relyingParty = relyingPartyOf(deps.publicUrl);
  const { verifyAuthenticationResponse } = await webauthn();
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: spent.challenge,
    expectedOrigin: relyingParty.origin,
    expectedRPID: relyingParty.rpID,
    credential: {
      id: passkey.credential_id,
      publicKey: new Uint8Array(passkey.public_key),
      counter: Number(passkey.counter),
      transports: knownTransports(passkey.transports),
    },
    requireUserVerification: true,
  }).catch(() => undefined);
  const used =
    verification?.verified &&
    (await recordPasskeyUse(deps.db, {
      id: passkey.id,
      fromCounter: passkey.counter,
      toCounter: verification.authenticationInfo.newCounter,
    }));
  if (!used) {
    await recordSecurityEvent(deps.db, {
      userId: passkey.user_id,
      type: 'passkey_failed',
      origin,
      details: { passkeyId: passkey.id, during },
    });
    throw passkeyRefused(failStatus);
  }
  return passkey;
};

/**
 * Signs in with a passkey: alone (usernameless: the passkey names the account), or as the
 * second step after the password, when `pendingToken` is given and the passkey must be that
 * account's.
 */
export const signInWithPasskey = async ({
  challengeToken,
  response,
  pendingToken,
  origin,
  ...deps
}: AuthDeps & {
  challengeToken: string;
  response: AuthenticationResponseJSON;
  pendingToken: string | undefined;
  origin: RequestOrigin;
}) => {
  const pending = pendingToken ? await findPendingSignIn({ ...deps, pendingToken }) : undefined;
  const passkey = await verifyPasskeyAssertion({
    ...deps,
    challengeToken,
    response,
    expectedUserId: pending?.user.id,
    origin,
    failStatus: 401,
    during: 'sign_in',
  });
  await pending?.spend();
  const user = pending?.user ?? (await findUserById(deps.db, passkey.user_id));
  if (!user) throw passkeyRefused(401);
  return startSignedInSession({
    ...deps,
    user,
    origin,
    details: pending
      ? { via: 'password', secondFactor: 'passkey', passkeyId: passkey.id }
      : { via: 'passkey', passkeyId: passkey.id },
  });
};
