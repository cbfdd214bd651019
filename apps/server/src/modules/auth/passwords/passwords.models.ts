import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** OWASP's argon2id floor: 19 MiB, two passes, one lane (~20 ms here). argon2id is the default. */
export const ARGON2_PARAMS = {
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export const hashPassword = (password: string) => hash(password, ARGON2_PARAMS);

export const verifyPassword = async (passwordHash: string, password: string) => {
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

const loadCommonPasswords = () => {
  const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  return new Set(entries);
};

let commonPasswords: Set<string> | undefined;

/** Common as typed, or a common word dressed up only with digits and symbols ("Password2024!"). */
export const isCommonPassword = (password: string) => {
  commonPasswords ??= loadCommonPasswords();
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered)) return true;
  const core = lowered.replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
  return core.length >= 5 && core.length < lowered.length && commonPasswords.has(core);
};

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common';

/** NIST 800-63B: length and a breach list, no composition rules. */
export const findPasswordProblem = (password: string): PasswordProblem | undefined => {
  const length = Array.from(password).length;
  if (length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'too_long';
  if (isCommonPassword(password)) return 'too_common';
  return undefined;
};
