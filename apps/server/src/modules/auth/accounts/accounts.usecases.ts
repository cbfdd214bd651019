import { uuidv7 } from 'uuidv7';
import type { Db } from '../../../db/database.js';
import { enqueueJob } from '../../../job-queue/jobs.queue.js';
import { sendMailJob } from '../../mail/mail.jobs.js';
import type { AuthDeps } from '../auth.deps.js';
import type { CachedAccount } from '../../../session-cache/session-cache.types.js';
import {
  accountDisabled,
  emailNotVerified,
  emailTaken,
  invalidCredentials,
  linkInvalid,
  passwordRejected,
  rateLimited,
} from '../auth.errors.js';
import { isAdministrator } from '../../admin/admin.models.js';
import { issuePendingSignIn } from '../../two-factor/pending-sign-in.models.js';
import {
  secondFactorMethods,
  type SecondFactorMethod,
} from '../../two-factor/second-factor-methods.repository.js';
import { sendAuthLinkJob } from '../links/links.jobs.js';
import { PER_ACCOUNT } from '../limits/auth.limits.js';
import { emailKey, normalizeEmail } from './email.models.js';
import {
  findPasswordProblem,
  getDummyPasswordHash,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../passwords/passwords.models.js';
import { hmac, randomSecret, safeEqual } from '../secrets.models.js';
import {
  insertUsedLink,
  listSecurityEvents,
  recordSecurityEvent,
  type RequestOrigin,
} from '../security-events.repository.js';
import { startSession, type IssuedSession } from '../sessions/sessions.usecases.js';
import { LINK_TTL_SECONDS, verifyLink } from '../links/signed-links.models.js';
import {
  findUserByEmail,
  findAccountRowById,
  findUserById,
  insertUser,
  markEmailVerified,
  upgradePasswordHash,
} from './users.repository.js';

export type SignedInSession = IssuedSession & { email: string };

export type SignInResult =
  | { kind: 'signed_in'; session: SignedInSession }
  | { kind: 'second_factor_required'; methods: SecondFactorMethod[]; pendingToken: string };

export type RegisterResult =
  { kind: 'signed_in'; session: IssuedSession } | { kind: 'verification_sent' };

const verifyClaims = (userId: string) => ({
  p: 'verify-email' as const,
  sub: userId,
  jti: randomSecret(16),
  exp: Math.floor(Date.now() / 1000) + LINK_TTL_SECONDS['verify-email'],
});

/**
 * With mail on, the answer is the same whether the address is new or taken (the owner of a
 * taken address gets a mail instead), so registration does not reveal who has an account.
 */
export const registerAccount = async ({
  email: rawEmail,
  password,
  origin,
  ...deps
}: AuthDeps & {
  email: string;
  password: string;
  origin: RequestOrigin;
}): Promise<RegisterResult> => {
  const email = normalizeEmail(rawEmail);
  const problem = findPasswordProblem(password, { email });
  if (problem) throw passwordRejected(problem);
  const registerCount = await deps.counters.hit(
    `register:${emailKey(email)}`,
    PER_ACCOUNT.register.windowSeconds,
  );
  if (registerCount.count > PER_ACCOUNT.register.max) {
    throw rateLimited(registerCount.retryAfterSeconds);
  }
  const passwordHash = await hashPassword(password);

  return deps.db.transaction().execute(async (trx): Promise<RegisterResult> => {
    const user = await insertUser(trx, {
      id: uuidv7(),
      email,
      passwordHash,
      verifiedAt: deps.mailEnabled ? null : new Date(),
    });
    if (!user) {
      if (!deps.mailEnabled) throw emailTaken();
      const owner = await findUserByEmail(trx, email);
      await enqueueJob(trx, sendMailJob, {
        to: owner?.email ?? email,
        subject: 'Someone tried to create a My File account with your address',
        text: `Someone (maybe you) tried to create an account with this address, which already has one.\nIf it was you, sign in or reset your password at ${deps.publicUrl}/forgot-password.\nIf not, you can ignore this mail: nothing changed.\n`,
      });
      return { kind: 'verification_sent' };
    }
    if (deps.mailEnabled) {
      await enqueueJob(trx, sendAuthLinkJob, { to: email, claims: verifyClaims(user.id) });
      return { kind: 'verification_sent' };
    }
    const session = await startSession({ ...deps, db: trx, userId: user.id, origin });
    await recordSecurityEvent(trx, {
      userId: user.id,
      type: 'sign_in',
      sessionId: session.sessionId,
      origin,
      details: { via: 'register' },
    });
    return { kind: 'signed_in', session };
  });
};

export const verifyEmail = async ({
  token,
  origin,
  ...deps
}: AuthDeps & { token: string; origin: RequestOrigin }) => {
  const claims = verifyLink({ ring: deps.ring(), token, purpose: 'verify-email' });
  if (!claims) throw linkInvalid();
  const attempts = await deps.counters.hit(
    `verify:${claims.sub}`,
    PER_ACCOUNT.verify.windowSeconds,
  );
  if (attempts.count > PER_ACCOUNT.verify.max) throw rateLimited(attempts.retryAfterSeconds);
  await deps.db.transaction().execute(async (trx) => {
    const fresh = await insertUsedLink(trx, {
      jti: claims.jti,
      purpose: claims.p,
      expiresAt: new Date(claims.exp * 1000),
    });
    const user = await findUserById(trx, claims.sub);
    if (!fresh || !user || user.email_verified_at) throw linkInvalid();
    await markEmailVerified(trx, user.id);
    await recordSecurityEvent(trx, { userId: user.id, type: 'email_verified', origin });
  });
  await deps.accountCache.delete([claims.sub]);
};

/** The owner's browser remembers a successful sign-in for this address. */
const deviceMac = ({ key, deviceId, ...deps }: AuthDeps & { key: string } & { deviceId: string }) =>
  hmac(deps.ring().current.hmacSecret, `device:${key}:${deviceId}`);

export const issueDeviceCookieValue = ({ email, ...deps }: AuthDeps & { email: string }) => {
  const deviceId = randomSecret(16);
  return `${deviceId}.${deps.ring().current.kid}.${deviceMac({ ...deps, key: emailKey(email), deviceId })}`;
};

const recognisedDevice = ({
  email,
  cookie,
  ...deps
}: AuthDeps & { email: string } & { cookie: string | undefined }) => {
  const [deviceId, kid, mac] = cookie?.split('.') ?? [];
  if (!deviceId || !kid || !mac) return undefined;
  const key = deps.ring().byKid(kid);
  if (!key) return undefined;
  const expected = hmac(key.hmacSecret, `device:${emailKey(email)}:${deviceId}`);
  return safeEqual(mac, expected) ? deviceId : undefined;
};

/**
 * Same status, body and argon2 work for an unknown email as for a wrong password. Failures
 * count per address (known or not, so the limit reveals nothing); a browser that signed in to
 * this address before counts on its own budget, so an attacker cannot lock its owner out.
 */
export const signIn = async ({
  email: rawEmail,
  password,
  deviceCookie,
  origin,
  ...deps
}: AuthDeps & {
  email: string;
  password: string;
  deviceCookie: string | undefined;
  origin: RequestOrigin;
}): Promise<SignInResult> => {
  const email = normalizeEmail(rawEmail);
  const deviceId = recognisedDevice({ ...deps, email, cookie: deviceCookie });
  const failureKey = deviceId ? `login-fail-device:${deviceId}` : `login-fail:${emailKey(email)}`;
  const limit = deviceId ? PER_ACCOUNT.failedLoginsOnKnownDevice : PER_ACCOUNT.failedLogins;
  // Counted before it is judged (and taken back if right): concurrent guesses cannot all read
  // a count under the cap and then all be evaluated.
  const attempt = await deps.counters.hit(failureKey, limit.windowSeconds);
  if (attempt.count > limit.max) throw rateLimited(attempt.retryAfterSeconds);

  const user = await findUserByEmail(deps.db, email);
  const passwordOk = await verifyPassword(
    user?.password_hash ?? (await getDummyPasswordHash()),
    password.slice(0, 1024),
  );
  if (!user || !passwordOk) {
    if (user) {
      await recordSecurityEvent(deps.db, {
        userId: user.id,
        type: 'sign_in_failed',
        origin,
        details: { knownDevice: Boolean(deviceId) },
      });
    }
    throw invalidCredentials();
  }
  await deps.counters.undo(failureKey);
  if (!user.email_verified_at) throw emailNotVerified();
  if (user.disabled_at) throw accountDisabled();
  if (needsRehash(user.password_hash)) {
    await upgradePasswordHash(deps.db, { id: user.id, passwordHash: await hashPassword(password) });
  }
  const secondFactor = await secondFactorMethods(deps.db, user.id);
  if (secondFactor.length) {
    return {
      kind: 'second_factor_required',
      methods: secondFactor,
      pendingToken: issuePendingSignIn({
        ring: deps.ring(),
        userId: user.id,
        passwordChangedAt: user.password_changed_at,
      }),
    };
  }
  return { kind: 'signed_in', session: await startSignedInSession({ ...deps, user, origin }) };
};

/**
 * Every way in ends here: one session of the usual kind (access JWT, rotating refresh, CSRF)
 * and one `sign_in` event saying how (`via`), in one transaction.
 */
export const startSignedInSession = async ({
  user,
  origin,
  details,
  ...deps
}: AuthDeps & {
  user: { id: string; email: string };
  origin: RequestOrigin;
  details?: Record<string, unknown>;
}): Promise<SignedInSession> => {
  const session = await deps.db.transaction().execute(async (trx) => {
    const started = await startSession({ ...deps, db: trx, userId: user.id, origin });
    await recordSecurityEvent(trx, {
      userId: user.id,
      type: 'sign_in',
      sessionId: started.sessionId,
      origin,
      ...(details ? { details } : {}),
    });
    return started;
  });
  return { ...session, email: user.email };
};

const loadAccount = async (deps: AuthDeps, userId: string) => {
  const cached = await deps.accountCache.get(userId);
  if (cached) return cached;
  const row = await findAccountRowById(deps.db, userId);
  if (!row) return undefined;
  const account: CachedAccount = {
    id: row.id,
    email: row.email,
    role: row.role,
    emailVerifiedAt: row.email_verified_at?.toISOString() ?? null,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    createdAt: row.created_at,
  };
  await deps.accountCache.set(userId, account);
  return account;
};

/** What `/me` answers; the dependencies are not copied per call (it runs on every page load). */
export const getAccount = async (deps: AuthDeps, userId: string) => {
  const account = await loadAccount(deps, userId);
  if (!account) return undefined;
  return {
    id: account.id,
    email: account.email,
    emailVerified: account.emailVerifiedAt !== null,
    createdAt: account.createdAt,
    // ADMIN_EMAILS is this process's configuration, so it is applied after the cache.
    isAdmin: isAdministrator(
      {
        role: account.role,
        email: account.email,
        email_verified_at: account.emailVerifiedAt,
        deleted_at: account.deletedAt,
      },
      deps.adminEmails,
    ),
  };
};

/** The account's security events (sign-ins, resets, revocations…), newest first. */
export const listAccountSecurityEvents = async ({
  db,
  userId,
  before,
  limit,
}: {
  db: Db;
  userId: string;
  before?: string | undefined;
  limit: number;
}) => {
  const rows = await listSecurityEvents(db, { userId, limit, ...(before ? { before } : {}) });
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    sessionId: row.session_id,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
    createdAt: row.created_at.toISOString(),
  }));
};
