import { useState, type SyntheticEvent } from 'react';
import { api } from '../api/http.js';
import { checkConfirmation, checkFilled, checkNewPassword } from '../auth/field-checks.js';
import { useApiForm } from '../auth/use-api-form.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { NewPasswordFields } from '../auth/new-password-fields.js';
import { useTranslation } from '../i18n/i18n.js';

/** Needs the current password; the server signs out every other device. */
export const ChangePasswordForm = () => {
  const { t } = useTranslation();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const { errors, pending, run, check } = useApiForm({
    invalid_credentials: {
      field: 'currentPassword',
      message: t('account.currentPasswordWrong'),
    },
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setDone(false);
    const valid = check({
      currentPassword: checkFilled(currentPassword, t('errors.field.currentPassword')),
      newPassword: checkNewPassword(newPassword),
      confirm: checkConfirmation(newPassword, confirm),
    });
    if (!valid) return;
    void run(async () => {
      await api('/api/auth/password/change', {
        method: 'POST',
        body: { currentPassword, newPassword },
      });
      setCurrentPassword('');
      setNewPassword('');
      setConfirm('');
      setDone(true);
    });
  };
  return (
    <section aria-labelledby="password-title" className="panel">
      <h2 id="password-title">{t('account.password')}</h2>
      <form onSubmit={submit} className="inline-form" noValidate>
        <FormAlert message={errors.form} />
        {done && <p role="status">{t('account.passwordChanged')}</p>}
        <FormField
          label={t('account.currentPassword')}
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(event) => setCurrentPassword(event.target.value)}
          error={errors.fields.currentPassword}
        />
        <NewPasswordFields
          label="New password"
          password={newPassword}
          confirm={confirm}
          onPassword={setNewPassword}
          onConfirm={setConfirm}
          errors={{ password: errors.fields.newPassword, confirm: errors.fields.confirm }}
        />
        <button type="submit" className="button primary" disabled={pending}>
          {t('account.changePassword')}
        </button>
      </form>
    </section>
  );
};
