import { useState, type SyntheticEvent } from 'react';
import { ApiError } from '../api/api-error.js';
import { api } from '../api/http.js';
import { useApiForm } from '../auth/use-api-form.js';
import { FormAlert, FormField } from '../ui/form-field.js';

/**
 * Sensitive settings need a sign-in from the last five minutes: when the server answers 403
 * `reauth_required`, this asks for the password, proves it with `/api/auth/reauth` and runs
 * the action again.
 */
export const useReauth = () => {
  const [retry, setRetry] = useState<(() => Promise<void>) | null>(null);

  /** Runs `action`; a `reauth_required` answer parks it until the password is given. */
  const withReauth = async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'reauth_required') {
        setRetry(() => action);
        return;
      }
      throw error;
    }
  };

  const prompt = retry ? (
    <ReauthForm
      onProved={async () => {
        // A failure of the action itself stays in this form, where it can be read.
        await retry();
        setRetry(null);
      }}
      onCancel={() => setRetry(null)}
    />
  ) : null;

  return { withReauth, prompt };
};

const ReauthForm = ({
  onProved,
  onCancel,
}: {
  onProved: () => Promise<void>;
  onCancel: () => void;
}) => {
  const [password, setPassword] = useState('');
  const { errors, pending, run } = useApiForm({
    invalid_credentials: { field: 'password', message: 'That password is not right.' },
  });

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(async () => {
      await api('/api/auth/reauth', { method: 'POST', body: { method: 'password', password } });
      await onProved();
    });
  };

  return (
    <form onSubmit={submit} className="notice" aria-label="Confirm it is you">
      <p>For your safety, enter your password again to change this.</p>
      <FormAlert message={errors.form} />
      <FormField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={errors.fields.password}
      />
      <button type="submit" className="button primary" disabled={pending || !password}>
        Confirm
      </button>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
};
