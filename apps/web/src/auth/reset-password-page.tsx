import { useState, type SyntheticEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { api } from '../api/http.js';
import { FormAlert } from '../ui/form-field.js';
import { AuthCard, readLinkToken } from './auth-card.js';
import { checkConfirmation, checkNewPassword } from './field-checks.js';
import { useApiForm } from './use-api-form.js';
import { NewPasswordFields } from './new-password-fields.js';

export const ResetPasswordPage = () => {
  const token = readLinkToken(useLocation().hash);
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const { errors, pending, run, check } = useApiForm();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const valid = check({
      newPassword: checkNewPassword(newPassword),
      confirm: checkConfirmation(newPassword, confirm),
    });
    if (!valid) return;
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
          <NewPasswordFields
            label="New password"
            name="newPassword"
            password={newPassword}
            confirm={confirm}
            onPassword={setNewPassword}
            onConfirm={setConfirm}
            errors={{ password: errors.fields.newPassword, confirm: errors.fields.confirm }}
          />
          <button type="submit" className="button primary" disabled={pending}>
            Set new password
          </button>
        </form>
      )}
    </AuthCard>
  );
};
