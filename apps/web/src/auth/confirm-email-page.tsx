import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useLocation } from 'react-router';
import { errorMessage } from '../api/api-error.js';
import { api } from '../api/http.js';
import { AuthCard, readLinkToken } from './auth-card.js';
import { useTranslation } from '../i18n/i18n.js';

/** Where the email-change link lands: the new address becomes the account's. */
export const ConfirmEmailPage = () => {
  const { t } = useTranslation();
  const token = readLinkToken(useLocation().hash);
  const confirm = useMutation({
    mutationFn: (linkToken: string) =>
      api('/api/account/email/confirm', { method: 'POST', body: { token: linkToken } }),
  });
  const { mutate } = confirm;

  useEffect(() => {
    if (token) mutate(token);
  }, [token, mutate]);

  return (
    <AuthCard title={t('auth.confirmNewEmailTitle')}>
      {!token && <p role="alert">{t('auth.linkIncomplete')}</p>}
      {confirm.isPending && <p role="status">{t('auth.confirming')}</p>}
      {confirm.isSuccess && (
        <p role="status">
          {t('auth.newEmailConfirmed')} <Link to="/">{t('auth.goToMyFiles')}</Link>
        </p>
      )}
      {confirm.isError && <p role="alert">{errorMessage(confirm.error)}</p>}
    </AuthCard>
  );
};
