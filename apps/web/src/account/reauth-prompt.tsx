import type { ReauthMethods } from '@myfile/contract';
import { useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { ApiError } from '../api/api-error.js';
import { api } from '../api/http.js';
import { providerStartUrl, useSignInMethods } from '../auth/sign-in-methods.js';
import { useApiForm } from '../auth/use-api-form.js';
import { passkeysSupported, provePasskey } from '../passkeys/passkey-ceremony.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { useTranslation } from '../i18n/i18n.js';

/**
 * Sensitive settings need a sign-in from the last five minutes: when the server answers 403
 * `reauth_required`, this asks the person to confirm it is them with any method the account
 * has (password, authenticator or recovery code, passkey), proves it with `/api/auth/reauth`
 * and runs the action again.
 */
export const useReauth = () => {
  const [retry, setRetry] = useState<(() => Promise<void>) | null>(null);

  /** Runs `action`; a `reauth_required` answer parks it until the person has confirmed. */
  const withReauth = async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'reauth_required') {
        setRetry(() => action);
        return;
      }
      throw error;
    }
  };

  const prompt = retry ? (
    <ReauthPrompt
      onProved={async () => {
        // A failure of the action itself stays in this prompt, where it can be read.
        await retry();
        setRetry(null);
      }}
      onCancel={() => setRetry(null)}
    />
  ) : null;

  return { withReauth, prompt };
};

const ReauthPrompt = ({
  onProved,
  onCancel,
}: {
  onProved: () => Promise<void>;
  onCancel: () => void;
}) => {
  const { t } = useTranslation();
  const methods = useQuery({
    queryKey: ['reauth-methods'],
    queryFn: () => api<ReauthMethods>('/api/auth/reauth'),
  });
  const { providers } = useSignInMethods();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const { errors, pending, run } = useApiForm({
    invalid_credentials: { message: t('account.reauthWrong') },
  });
  const has = (method: ReauthMethods['methods'][number]) =>
    methods.data?.methods.includes(method) ?? false;

  const prove = (body: object) =>
    run(async () => {
      await api('/api/auth/reauth', { method: 'POST', body });
      await onProved();
    });

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (password) void prove({ method: 'password', password });
    else if (code.trim()) void prove({ method: 'code', code: code.trim() });
  };

  const withPasskey = () =>
    void run(async () => {
      const proof = await provePasskey('/api/auth/passkeys/reauth/options');
      await api('/api/auth/reauth', { method: 'POST', body: { method: 'passkey', ...proof } });
      await onProved();
    });

  const nothingToType = methods.isSuccess && !has('password') && !has('code');
  return (
    <form onSubmit={submit} className="notice" aria-label={t('account.reauthLabel')}>
      <p>{t('account.reauthIntro')}</p>
      <FormAlert message={errors.form} />
      {has('passkey') && passkeysSupported() && (
        <p>
          <button type="button" className="button primary" disabled={pending} onClick={withPasskey}>
            {t('auth.usePasskey')}
          </button>
        </p>
      )}
      {has('password') && (
        <FormField
          label={t('account.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      )}
      {has('code') && (
        <FormField
          label={
            has('password') ? t('account.orAuthenticatorCode') : t('account.authenticatorCode')
          }
          name="code"
          autoComplete="one-time-code"
          hint={t('account.recoveryWorksToo')}
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
      )}
      {nothingToType && providers.length > 0 && (
        <ul className="sign-in-providers" aria-label={t('account.signInAgain')}>
          {providers.map((provider) => (
            <li key={provider.id}>
              <a className="button" href={providerStartUrl(provider.startUrl, '/account')}>
                {t('account.signInAgainWith', { provider: provider.label })}
              </a>
            </li>
          ))}
        </ul>
      )}
      {!nothingToType && (
        <button
          type="submit"
          className="button primary"
          disabled={pending || (!password && !code.trim())}
        >
          {t('account.confirm')}
        </button>
      )}
      <button type="button" className="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </form>
  );
};
