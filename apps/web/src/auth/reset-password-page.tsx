import { useState, type SyntheticEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { api } from '../api/http.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { AuthCard, readLinkToken } from './auth-card.js';
import { useApiForm } from './use-api-form.js';

export const ResetPasswordPage = () => {
  const token = readLinkToken(useLocation().hash);
  const [newPassword, setNewPassword] = useState('');
  const [done, setDone] = useState(false);
  const { errors, pending, run } = useApiForm();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(async () => {
      await api('/api/auth/password/reset', { method: 'POST', body: { token, newPassword } });
      setDone(true);
    });
  };

  if (!token) {
    return (
      <AuthCard title="Choose a new password">
        <p role="alert">
          This link is incomplete. Open the link from the email again, or{' '}
          <Link to="/forgot-password">ask for a new one</Link>.
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password">
      {done ? (
        <p role="status">
          Your password is changed and every device was signed out.{' '}
          <Link to="/sign-in">Sign in</Link> with the new password.
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <FormAlert message={errors.form ?? errors.fields.token} />
          <FormField
            label="New password"
            type="password"
            name="newPassword"
            autoComplete="new-password"
            required
            value={newPassword}
            onChange={(event) => setNewPassword(event.target.value)}
            error={errors.fields.newPassword}
          />
          <button type="submit" className="button primary" disabled={pending}>
            Set new password
          </button>
        </form>
      )}
    </AuthCard>
  );
};
