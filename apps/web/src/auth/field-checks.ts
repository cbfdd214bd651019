/**
 * Checks made in the page before anything is sent, so every field's problem shows at once
 * and in words a person can act on; the server checks again and has the last word.
 */
export const PASSWORD_MIN_LENGTH = 10;

export const checkEmail = (email: string): string | undefined => {
  const trimmed = email.trim();
  if (!trimmed) return 'Enter your email address.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) {
    return 'Enter an email address like name@example.com.';
  }
  return undefined;
};

export const checkNewPassword = (password: string): string | undefined => {
  if (!password) return 'Choose a password.';
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters (${password.length} so far).`;
  }
  return undefined;
};

export const checkConfirmation = (password: string, confirmation: string): string | undefined =>
  password === confirmation ? undefined : 'The passwords do not match.';

export const checkFilled = (value: string, words: string): string | undefined =>
  value ? undefined : words;

/** Words for a server refusal of one field when its own message is a validator's. */
const fieldWords: Record<string, string> = {
  email: 'Enter an email address like name@example.com.',
  password: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  newPassword: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  currentPassword: 'Enter your current password.',
  name: 'Enter a name of 1 to 255 characters.',
};

export const wordsForField = (field: string): string =>
  fieldWords[field] ?? 'This value is not accepted.';
