import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useLocation } from 'react-router';
import { errorMessage } from '../api/api-error.js';
import { api } from '../api/http.js';
import { AuthCard, readLinkToken } from './auth-card.js';
import { Trans, useTranslation } from '../i18n/i18n.js';

export const VerifyEmailPage = () => {
  const { t } = useTranslation();
  const token = readLinkToken(useLocation().hash);
  const verify = useMutation({
    mutationFn: (linkToken: string) =>
      api('/api/auth/verify-email', { method: 'POST', body: { token: linkToken } }),
  });
  const { mutate } = verify;

  useEffect(() => {
    if (token) mutate(token);
  }, [token, mutate]);

  return (
    <AuthCard title={t('auth.confirmEmailTitle')}>
      {!token && <p role="alert">{t('auth.linkIncomplete')}</p>}
      {verify.isPending && <p role="status">{t('auth.confirming')}</p>}
      {verify.isSuccess && (
        <p role="status">
          <Trans i18nKey="auth.emailConfirmed" components={{ signIn: <Link to="/sign-in" /> }} />
        </p>
      )}
      {verify.isError && <p role="alert">{errorMessage(verify.error)}</p>}
    </AuthCard>
  );
};
