import { useState } from 'react';
import { ApiError, errorMessage, isValidatorText } from '../api/api-error.js';
import { wordsForField } from './field-checks.js';

export type FormErrors = { form?: string; fields: Record<string, string> };

/**
 * Runs a form's request and splits a failure into the field it names (shown beside that
 * input) or one sentence for the whole form.
 */
export const useApiForm = (
  /** Words for codes this form can meet (a wrong current password is not a wrong email). */
  overrides: Partial<Record<string, { field?: string; message: string }>> = {},
) => {
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [pending, setPending] = useState(false);

  /** Shows every field's problem at once; true when there is none. */
  const check = (fields: Record<string, string | undefined>): boolean => {
    const found = Object.fromEntries(
      Object.entries(fields).filter((entry): entry is [string, string] => Boolean(entry[1])),
    );
    setErrors({ fields: found });
    return Object.keys(found).length === 0;
  };

  const run = async (action: () => Promise<void>) => {
    setPending(true);
    setErrors({ fields: {} });
    try {
      await action();
    } catch (error) {
      const override = error instanceof ApiError ? overrides[error.code] : undefined;
      if (override?.field) {
        setErrors({ fields: { [override.field]: override.message } });
      } else if (override) {
        setErrors({ form: override.message, fields: {} });
      } else if (error instanceof ApiError && error.field && isValidatorText(error)) {
        setErrors({ fields: { [error.field]: wordsForField(error.field) } });
      } else if (error instanceof ApiError && error.field && error.code !== 'rate_limited') {
        setErrors({ fields: { [error.field]: errorMessage(error) } });
      } else {
        setErrors({ form: errorMessage(error), fields: {} });
      }
    } finally {
      setPending(false);
    }
  };

  return { errors, pending, run, check };
};
