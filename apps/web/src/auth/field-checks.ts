import { t } from '../i18n/i18n.js';

/**
 * Checks made in the page before anything is sent, so every field's problem shows at once
 * and in words a person can act on; the server checks again and has the last word.
 */
export const PASSWORD_MIN_LENGTH = 10;

export const checkEmail = (email: string): string | undefined => {
  const trimmed = email.trim();
  if (!trimmed) return t('errors.field.emailMissing');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) return t('errors.field.emailShape');
  return undefined;
};

export const checkNewPassword = (password: string): string | undefined => {
  if (!password) return t('errors.field.choosePassword');
  if (password.length < PASSWORD_MIN_LENGTH) {
    return t('errors.field.passwordTooShort', {
      min: PASSWORD_MIN_LENGTH,
      count: password.length,
    });
  }
  return undefined;
};

export const checkConfirmation = (password: string, confirmation: string): string | undefined =>
  password === confirmation ? undefined : t('errors.field.passwordsDiffer');

export const checkFilled = (value: string, words: string): string | undefined =>
  value ? undefined : words;

/** Words for a server refusal of one field when its own message is a validator's. */
const fieldWords: Record<string, () => string> = {
  email: () => t('errors.field.emailShape'),
  password: () => t('errors.field.passwordMin', { min: PASSWORD_MIN_LENGTH }),
  newPassword: () => t('errors.field.passwordMin', { min: PASSWORD_MIN_LENGTH }),
  currentPassword: () => t('errors.field.currentPassword'),
  name: () => t('errors.field.name'),
};

export const wordsForField = (field: string): string =>
  fieldWords[field]?.() ?? t('errors.field.notAccepted');
