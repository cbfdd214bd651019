import { createRequire } from 'node:module';
import type * as ZxcvbnCore from '@zxcvbn-ts/core';
import type * as ZxcvbnCommon from '@zxcvbn-ts/language-common';
import type * as ZxcvbnEn from '@zxcvbn-ts/language-en';

/** zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
export const MIN_PASSWORD_SCORE = 3;

/**
 * Only the first 64 characters are estimated and l33t variants are not expanded by the library
 * (its l33t search grows with the number of substitutable characters: seconds of CPU for one
 * random 64-character password). A longer password is strong by length; l33t is undone below.
 */
const ESTIMATED_LENGTH = 64;

/**
 * The dictionaries take about 25 MB of heap: they are loaded by the first password that is
 * checked (sign-up, a change or a reset), not by every process at start.
 */
const loadEstimator = () => {
  const require = createRequire(import.meta.url);
  const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as typeof ZxcvbnCore;
  const zxcvbnCommon = require('@zxcvbn-ts/language-common') as typeof ZxcvbnCommon;
  const zxcvbnEn = require('@zxcvbn-ts/language-en') as typeof ZxcvbnEn;
  return new ZxcvbnFactory({
    translations: zxcvbnEn.translations,
    graphs: zxcvbnCommon.adjacencyGraphs,
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    maxLength: ESTIMATED_LENGTH,
    l33tMaxSubstitutions: 0,
  });
};

let estimator: ZxcvbnCore.ZxcvbnFactory | undefined;
const getEstimator = () => (estimator ??= loadEstimator());

const L33T: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '0': 'o',
  '1': 'i',
  '!': 'i',
  '3': 'e',
  $: 's',
  '5': 's',
  '7': 't',
  '+': 't',
  '|': 'l',
  '8': 'b',
};

/** "P@ssw0rd" → "Password": one fixed reading of each symbol, so the dictionary sees the word. */
const undoL33t = (password: string) =>
  /[a-z]/iu.test(password) ? password.replace(/[@40!1$357+|8]/gu, (c) => L33T[c] ?? c) : password;

/**
 * "!!Password123!!" → "Password": digits and symbols only around a word add little, so the word
 * alone is judged when the dressing is short.
 */
const undress = (password: string) => {
  const core = password.replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
  return core.length > 0 && password.length - core.length <= 8 ? core : password;
};

export type StrengthVerdict = { weak: false } | { weak: true; warning: string | undefined };

/**
 * zxcvbn-ts with its common-password, English and name dictionaries and keyboard graphs, fed the
 * account's own email and its local part so a password built from them scores as guessable.
 * The weakest reading of the password (as typed, l33t undone, or undressed) decides.
 */
export const estimatePasswordStrength = (
  password: string,
  userInputs: readonly string[],
): StrengthVerdict => {
  const zxcvbn = getEstimator();
  const inputs = [...userInputs];
  const readings = [password, undoL33t(password), undress(password)].map((text) =>
    zxcvbn.check(text, inputs),
  );
  const weakest = readings.reduce((a, b) => (b.score < a.score ? b : a));
  if (weakest.score >= MIN_PASSWORD_SCORE) return { weak: false };
  return { weak: true, warning: weakest.feedback.warning ?? undefined };
};
