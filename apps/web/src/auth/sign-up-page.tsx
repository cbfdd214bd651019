import type { Registered } from '@myfile/contract';
import { useState, type SyntheticEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/http.js';
import { useSessionActions } from '../session/session-context.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { AuthCard } from './auth-card.js';
import { checkConfirmation, checkEmail, checkNewPassword } from './field-checks.js';
import { useApiForm } from './use-api-form.js';
import { NewPasswordFields } from './new-password-fields.js';
import { useTitle } from '../ui/use-title.js';
import { useSignInMethods } from './sign-in-methods.js';
import { Trans, useTranslation } from '../i18n/i18n.js';

export const SignUpPage = () => {
  const { t } = useTranslation();
  useTitle(t('auth.createAccount'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [verificationSent, setVerificationSent] = useState(false);
  const methods = useSignInMethods();
  const { errors, pending, run, check } = useApiForm();
  const { signedIn } = useSessionActions();
  const navigate = useNavigate();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const valid = check({
      email: checkEmail(email),
      password: checkNewPassword(password),
      confirm: checkConfirmation(password, confirm),
    });
    if (!valid) return;
    void run(async () => {
      const answer = await api<Registered>('/api/auth/register', {
        method: 'POST',
        body: { email, password },
      });
      if (answer.status === 'verification_sent') {
        setVerificationSent(true);
        return;
      }
      signedIn(answer);
      await navigate('/', { replace: true });
    });
  };

  if (!methods.passwordSignIn) {
    return (
      <AuthCard title={t('auth.createYourAccount')}>
        <p>
          {t('auth.accountsByProvider')} <Link to="/sign-in">{t('auth.goToSignIn')}</Link>
        </p>
      </AuthCard>
    );
  }

  if (verificationSent) {
    return (
      <AuthCard title={t('auth.checkYourEmail')}>
        <p role="status">
          <Trans
            i18nKey="auth.verificationSent"
            values={{ email }}
            components={{ strong: <strong />, signIn: <Link to="/sign-in" /> }}
          />
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('auth.createYourAccount')}>
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
        <NewPasswordFields
          label="Password"
          name="password"
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          errors={{ password: errors.fields.password, confirm: errors.fields.confirm }}
        />
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? t('auth.creating') : t('auth.createAccount')}
        </button>
      </form>
      <p>
        {t('auth.haveAccount')} <Link to="/sign-in">{t('auth.signIn')}</Link>
      </p>
    </AuthCard>
  );
};
