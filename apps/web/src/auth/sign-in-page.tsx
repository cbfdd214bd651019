import type { SecondFactorRequired, SignedIn, SignInAnswer } from '@myfile/contract';
import { useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/http.js';
import { passkeysSupported, provePasskey } from '../passkeys/passkey-ceremony.js';
import { useSessionActions } from '../session/session-context.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { AuthCard } from './auth-card.js';
import { safeNext } from './safe-next.js';
import { SecondFactorStep } from './second-factor-step.js';
import { providerStartUrl, useSignInMethods } from './sign-in-methods.js';
import { useApiForm } from './use-api-form.js';
import { useTitle } from '../ui/use-title.js';
import { useTranslation } from '../i18n/i18n.js';

export const SignInPage = () => {
  const { t } = useTranslation();
  useTitle(t('auth.signIn'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { errors, pending, run } = useApiForm();
  const { signedIn } = useSessionActions();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [challenge, setChallenge] = useState<SecondFactorRequired | undefined>();
  const methods = useSignInMethods();
  const passkey = useApiForm();
  const next = safeNext(params.get('next'));

  const finish = async (answer: SignedIn) => {
    signedIn(answer);
    await navigate(next, { replace: true });
  };

  /** No email typed: the device offers the passkeys it holds for this site. */
  const signInWithPasskey = () =>
    void passkey.run(async () => {
      const proof = await provePasskey('/api/auth/login/passkey/options');
      await finish(await api<SignedIn>('/api/auth/login/passkey', { method: 'POST', body: proof }));
    });

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
      <AuthCard title={t('auth.twoFactorTitle')}>
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
    <AuthCard title={t('auth.signIn')}>
      {methods.providers.length > 0 && (
        <ul className="sign-in-providers" aria-label={t('auth.providers')}>
          {methods.providers.map((provider) => (
            <li key={provider.id}>
              {/* A full page load: the provider's sign-in is its own site. */}
              <a className="button" href={providerStartUrl(provider.startUrl, next)}>
                {t('auth.signInWith', { provider: provider.label })}
              </a>
            </li>
          ))}
        </ul>
      )}
      {passkeysSupported() && (
        <>
          <FormAlert message={passkey.errors.form} />
          <button
            type="button"
            className="button"
            disabled={passkey.pending}
            onClick={signInWithPasskey}
          >
            {passkey.pending ? t('auth.waitingForPasskey') : t('auth.usePasskey')}
          </button>
        </>
      )}
      {methods.passwordSignIn ? (
        <>
          <form onSubmit={submit} noValidate>
            <FormAlert message={errors.form} />
            <FormField
              label={t('auth.email')}
              type="email"
              name="email"
              autoComplete="username webauthn"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              error={errors.fields.email}
            />
            <FormField
              label={t('auth.password')}
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              error={errors.fields.password}
            />
            <button type="submit" className="button primary" disabled={pending}>
              {pending ? t('auth.signingIn') : t('auth.signIn')}
            </button>
          </form>
          <p>
            <Link to="/forgot-password">{t('auth.forgotPassword')}</Link>
          </p>
          <p>
            {t('auth.newHere')} <Link to="/sign-up">{t('auth.createAnAccount')}</Link>
          </p>
        </>
      ) : (
        <p className="muted">
          {methods.providers.length > 0
            ? t('auth.passwordOffUseProvider')
            : t('auth.passwordOffUsePasskey')}
        </p>
      )}
    </AuthCard>
  );
};
