import { useState, type SyntheticEvent } from 'react';
import { api } from '../api/http.js';
import { useApiForm } from '../auth/use-api-form.js';
import { FormAlert, FormField } from '../ui/form-field.js';

/** Needs the current password; the server signs out every other device. */
export const ChangePasswordForm = () => {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [done, setDone] = useState(false);
  const { errors, pending, run } = useApiForm();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setDone(false);
    void run(async () => {
      await api('/api/auth/password/change', {
        method: 'POST',
        body: { currentPassword, newPassword },
      });
      setCurrentPassword('');
      setNewPassword('');
      setDone(true);
    });
  };
  return (
    <section aria-labelledby="password-title" className="panel">
      <h2 id="password-title">Password</h2>
      <form onSubmit={submit} className="inline-form" noValidate>
        <FormAlert message={errors.form} />
        {done && <p role="status">Your password is changed; other devices were signed out.</p>}
        <FormField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(event) => setCurrentPassword(event.target.value)}
          error={errors.fields.currentPassword}
        />
        <FormField
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          value={newPassword}
          onChange={(event) => setNewPassword(event.target.value)}
          error={errors.fields.newPassword}
        />
        <button
          type="submit"
          className="button primary"
          disabled={pending || !currentPassword || !newPassword}
        >
          Change password
        </button>
      </form>
    </section>
  );
};
