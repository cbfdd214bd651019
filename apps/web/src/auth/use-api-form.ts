import { useState } from 'react';
import { ApiError, errorMessage } from '../api/api-error.js';

export type FormErrors = { form?: string; fields: Record<string, string> };

/**
 * Runs a form's request and splits a failure into the field it names (shown beside that
 * input) or one sentence for the whole form.
 */
export const useApiForm = () => {
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [pending, setPending] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setPending(true);
    setErrors({ fields: {} });
    try {
      await action();
    } catch (error) {
      if (error instanceof ApiError && error.field && error.code !== 'rate_limited') {
        setErrors({ fields: { [error.field]: error.message } });
      } else {
        setErrors({ form: errorMessage(error), fields: {} });
      }
    } finally {
      setPending(false);
    }
  };

  return { errors, pending, run };
};
