import { useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api/http.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { AuthCard } from './auth-card.js';
import { useApiForm } from './use-api-form.js';
import { Trans, useTranslation } from '../i18n/i18n.js';

export const ForgotPasswordPage = () => {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { errors, pending, run } = useApiForm();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(async () => {
      await api('/api/auth/password/forgot', { method: 'POST', body: { email } });
      setSent(true);
    });
  };

  return (
    <AuthCard title={t('auth.resetTitle')}>
      {sent ? (
        <p role="status">
          <Trans i18nKey="auth.resetSent" values={{ email }} components={{ strong: <strong /> }} />
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <FormAlert message={errors.form} />
          <FormField
            label={t('auth.email')}
            type="email"
            name="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={errors.fields.email}
          />
          <button type="submit" className="button primary" disabled={pending}>
            {t('auth.sendResetLink')}
          </button>
        </form>
      )}
      <p>
        <Link to="/sign-in">{t('auth.backToSignIn')}</Link>
      </p>
    </AuthCard>
  );
};
