import { useState, type SyntheticEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { api } from '../api/http.js';
import { FormAlert } from '../ui/form-field.js';
import { AuthCard, readLinkToken } from './auth-card.js';
import { checkConfirmation, checkNewPassword } from './field-checks.js';
import { useApiForm } from './use-api-form.js';
import { NewPasswordFields } from './new-password-fields.js';
import { Trans, useTranslation } from '../i18n/i18n.js';

export const ResetPasswordPage = () => {
  const { t } = useTranslation();
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
      <AuthCard title={t('auth.chooseNewPassword')}>
        <p role="alert">
          <Trans
            i18nKey="auth.resetLinkIncomplete"
            components={{ askAgain: <Link to="/forgot-password" /> }}
          />
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('auth.chooseNewPassword')}>
      {done ? (
        <p role="status">
          <Trans i18nKey="auth.passwordReset" components={{ signIn: <Link to="/sign-in" /> }} />
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
            {t('auth.setNewPassword')}
          </button>
        </form>
      )}
    </AuthCard>
  );
};
