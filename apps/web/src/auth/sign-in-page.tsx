import type { SecondFactorRequired, SignedIn, SignInAnswer } from '@myfile/contract';
import { useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/http.js';
import { useSessionActions } from '../session/session-context.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { AuthCard } from './auth-card.js';
import { safeNext } from './safe-next.js';
import { SecondFactorStep } from './second-factor-step.js';
import { useApiForm } from './use-api-form.js';
import { useTitle } from '../ui/use-title.js';

export const SignInPage = () => {
  useTitle('Sign in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { errors, pending, run } = useApiForm();
  const { signedIn } = useSessionActions();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [challenge, setChallenge] = useState<SecondFactorRequired | undefined>();

  const finish = async (answer: SignedIn) => {
    signedIn(answer);
    await navigate(safeNext(params.get('next')), { replace: true });
  };

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(async () => {
      const answer = await api<SignInAnswer>('/api/auth/login', {
        method: 'POST',
        body: { email, password },
      });
      // With two-factor on, the password alone makes no session: a code has to finish it.
      if (answer.status === 'second_factor_required') setChallenge(answer);
      else await finish(answer);
    });
  };

  if (challenge) {
    return (
      <AuthCard title="Two-factor authentication">
        <SecondFactorStep
          challenge={challenge}
          onSignedIn={finish}
          onRestart={() => {
            setChallenge(undefined);
            setPassword('');
          }}
        />
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Sign in">
      <form onSubmit={submit} noValidate>
        <FormAlert message={errors.form} />
        <FormField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={errors.fields.email}
        />
        <FormField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={errors.fields.password}
        />
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to="/sign-up">Create an account</Link>
      </p>
    </AuthCard>
  );
};
