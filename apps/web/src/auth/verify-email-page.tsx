import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useLocation } from 'react-router';
import { errorMessage } from '../api/api-error.js';
import { api } from '../api/http.js';
import { AuthCard, readLinkToken } from './auth-card.js';

export const VerifyEmailPage = () => {
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
    <AuthCard title="Confirm your email">
      {!token && <p role="alert">This link is incomplete. Open the link from the email again.</p>}
      {verify.isPending && <p role="status">Confirming…</p>}
      {verify.isSuccess && (
        <p role="status">
          Your email is confirmed. <Link to="/sign-in">Sign in</Link> to start.
        </p>
      )}
      {verify.isError && <p role="alert">{errorMessage(verify.error)}</p>}
    </AuthCard>
  );
};
