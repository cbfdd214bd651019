import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { estimatePasswordStrength } from './password-strength.models.js';

/** OWASP's argon2id floor: 19 MiB, two passes, one lane (~20 ms here). argon2id is the default. */
export const ARGON2_PARAMS = {
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export const hashPassword = (password: string) => hash(password, ARGON2_PARAMS);

/**
 * Kept for an account made through a sign-in provider, whose owner never chose a password: no
 * password matches it. "Forgot password" can set a real one later.
 */
export const NO_PASSWORD_HASH = '!';

/** Whether the account has a password its owner could type (see NO_PASSWORD_HASH). */
export const hasPassword = (passwordHash: string) => passwordHash !== NO_PASSWORD_HASH;

export const verifyPassword = async (passwordHash: string, password: string) => {
  if (!hasPassword(passwordHash)) {
    // The same argon2 work as a real check, so timing does not tell such accounts apart.
    await verify(await getDummyPasswordHash(), password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
};

/** A hash made with weaker parameters than today's is upgraded at the next sign-in. */
export const needsRehash = (passwordHash: string) =>
  !passwordHash.startsWith(
    `$argon2id$v=19$m=${ARGON2_PARAMS.memoryCost},t=${ARGON2_PARAMS.timeCost},p=${ARGON2_PARAMS.parallelism}$`,
  );

/**
 * Verified against when the email is unknown, so an unknown account costs the same argon2 work
 * as a known one and timing does not tell them apart.
 */
let dummyHash: Promise<string> | undefined;
export const getDummyPasswordHash = () =>
  (dummyHash ??= hashPassword(randomBytes(24).toString('base64url')));

export type PasswordProblem = 'too_short' | 'too_long' | 'too_weak' | 'like_account';

/** The email, its local part and the parts of it: what a password must not be built from. */
const accountWords = (email: string) => {
  const lowered = email.trim().toLowerCase();
  const local = lowered.split('@')[0] ?? '';
  return [lowered, local, ...local.split(/[._+-]+/u)].filter((word) => word.length >= 3);
};

/**
 * NIST 800-63B: length, no composition rules, and refused when guessable: zxcvbn-ts's estimate
 * (common passwords, words, names, keyboard walks, repeats, sequences, dates) must reach
 * MIN_PASSWORD_SCORE, and the password may not be the account's email or its local part.
 */
export const findPasswordProblem = (
  password: string,
  { email }: { email: string },
): { problem: PasswordProblem; warning?: string } | undefined => {
  const length = Array.from(password).length;
  if (length < PASSWORD_MIN_LENGTH) return { problem: 'too_short' };
  if (length > PASSWORD_MAX_LENGTH) return { problem: 'too_long' };
  const words = accountWords(email);
  const lowered = password.trim().toLowerCase();
  if (words.slice(0, 2).includes(lowered)) return { problem: 'like_account' };
  const verdict = estimatePasswordStrength(password, words);
  if (verdict.weak) {
    return { problem: 'too_weak', ...(verdict.warning ? { warning: verdict.warning } : {}) };
  }
  return undefined;
};
