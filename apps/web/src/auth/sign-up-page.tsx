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

export const SignUpPage = () => {
  useTitle('Create account');
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
      <AuthCard title="Create your account">
        <p>
          Accounts here are made by signing in with a sign-in provider.{' '}
          <Link to="/sign-in">Go to sign in</Link>
        </p>
      </AuthCard>
    );
  }

  if (verificationSent) {
    return (
      <AuthCard title="Check your email">
        <p role="status">
          We sent a confirmation link to <strong>{email}</strong>. Open it to finish creating your
          account, then <Link to="/sign-in">sign in</Link>.
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Create your account">
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
          {pending ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </AuthCard>
  );
};
