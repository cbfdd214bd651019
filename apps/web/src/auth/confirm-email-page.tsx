import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useLocation } from 'react-router';
import { errorMessage } from '../api/api-error.js';
import { api } from '../api/http.js';
import { AuthCard, readLinkToken } from './auth-card.js';

/** Where the email-change link lands: the new address becomes the account's. */
export const ConfirmEmailPage = () => {
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
    <AuthCard title="Confirm your new email address">
      {!token && <p role="alert">This link is incomplete. Open the link from the email again.</p>}
      {confirm.isPending && <p role="status">Confirming…</p>}
      {confirm.isSuccess && (
        <p role="status">
          Your new address is confirmed; sign in with it from now on.{' '}
          <Link to="/">Go to my files</Link>
        </p>
      )}
      {confirm.isError && <p role="alert">{errorMessage(confirm.error)}</p>}
    </AuthCard>
  );
};
