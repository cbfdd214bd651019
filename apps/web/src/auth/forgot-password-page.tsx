import { useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api/http.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { AuthCard } from './auth-card.js';
import { useApiForm } from './use-api-form.js';

export const ForgotPasswordPage = () => {
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
    <AuthCard title="Reset your password">
      {sent ? (
        <p role="status">
          If an account exists for <strong>{email}</strong>, a reset link is on its way. It works
          once, for 30 minutes.
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <FormAlert message={errors.form} />
          <FormField
            label="Email"
            type="email"
            name="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={errors.fields.email}
          />
          <button type="submit" className="button primary" disabled={pending}>
            Send reset link
          </button>
        </form>
      )}
      <p>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </AuthCard>
  );
};
