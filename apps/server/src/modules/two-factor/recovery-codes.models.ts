import { randomInt } from 'node:crypto';
import { sha256Hex } from '../auth/secrets.models.js';

export const RECOVERY_CODE_COUNT = 10;

// Crockford's base32: no I, L, O or U, so a code read off paper is not misread.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 4;
const GROUP_LENGTH = 4;

/**
 * 16 symbols of 32 = 80 random bits, shown as XXXX-XXXX-XXXX-XXXX. With that much entropy a
 * fast hash is enough: a stolen table cannot be reversed by guessing (2^80 SHA-256 per code),
 * and an unsalted hash lets a code be looked up by an index rather than checked row by row
 * with a slow KDF.
 */
export const newRecoveryCode = () =>
  Array.from({ length: GROUPS }, () =>
    Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  ).join('-');

/** Case, spaces and dashes do not matter; the look-alikes O, I, L map as Crockford says. */
export const normalizeRecoveryCode = (input: string) =>
  input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');

export const isRecoveryCodeShaped = (input: string) =>
  new RegExp(`^[${ALPHABET}]{${GROUPS * GROUP_LENGTH}}$`).test(normalizeRecoveryCode(input));

export const hashRecoveryCode = (input: string) =>
  sha256Hex(`recovery:${normalizeRecoveryCode(input)}`);
