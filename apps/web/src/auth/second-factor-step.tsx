import type { SecondFactorRequired, SignedIn } from '@myfile/contract';
import { useState, type SyntheticEvent } from 'react';
import { ApiError } from '../api/api-error.js';
import { api } from '../api/http.js';
import { passkeysSupported, provePasskey } from '../passkeys/passkey-ceremony.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { useApiForm } from './use-api-form.js';
import { useTranslation } from '../i18n/i18n.js';

type Props = {
  challenge: SecondFactorRequired;
  onSignedIn: (answer: SignedIn) => Promise<void>;
  /** Back to the password: the pending sign-in has expired or was spent. */
  onRestart: () => void;
};

/**
 * The second step of a password sign-in with two-factor on: an authenticator code, one of the
 * recovery codes for when the phone is not at hand, or a passkey of the account.
 */
export const SecondFactorStep = ({ challenge, onSignedIn, onRestart }: Props) => {
  const { t } = useTranslation();
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [expired, setExpired] = useState(false);
  const { errors, pending, run } = useApiForm();
  const canUseRecovery = challenge.methods.includes('recovery_code');
  const canUsePasskey = challenge.methods.includes('passkey') && passkeysSupported();

  /** The pending token is spent or older than five minutes: only the password helps now. */
  const noticeExpiry = (error: unknown) => {
    if (error instanceof ApiError && error.code === 'unauthenticated') setExpired(true);
    return error;
  };

  const usePasskey = () =>
    void run(async () => {
      try {
        const { pendingToken } = challenge;
        const proof = await provePasskey('/api/auth/login/passkey/options', { pendingToken });
        const answer = await api<SignedIn>('/api/auth/login/passkey', {
          method: 'POST',
          body: { ...proof, pendingToken },
        });
        await onSignedIn(answer);
      } catch (error) {
        throw noticeExpiry(error);
      }
    });

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(async () => {
      try {
        const answer = await api<SignedIn>('/api/auth/login/second-factor', {
          method: 'POST',
          body: { pendingToken: challenge.pendingToken, code: code.trim() },
        });
        await onSignedIn(answer);
      } catch (error) {
        throw noticeExpiry(error);
      }
    });
  };

  const toggle = () => {
    setUseRecovery((current) => !current);
    setCode('');
  };

  return (
    <form onSubmit={submit} noValidate>
      <FormAlert message={errors.form} />
      {useRecovery ? (
        <FormField
          key="recovery"
          label={t('auth.recoveryCode')}
          name="code"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          hint={t('auth.recoveryCodeHint')}
          required
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={errors.fields.code}
        />
      ) : (
        <FormField
          key="totp"
          label={t('auth.authenticationCode')}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={6}
          hint={t('auth.authenticationCodeHint')}
          required
          autoFocus
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={errors.fields.code}
        />
      )}
      {expired ? (
        <button type="button" className="button primary" onClick={onRestart}>
          {t('auth.enterPasswordAgain')}
        </button>
      ) : (
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? t('auth.checking') : t('auth.verify')}
        </button>
      )}
      {canUsePasskey && !expired && (
        <p>
          <button type="button" className="button" disabled={pending} onClick={usePasskey}>
            {t('auth.usePasskey')}
          </button>
        </p>
      )}
      {canUseRecovery && (
        <p>
          <button type="button" className="link-button" onClick={toggle}>
            {useRecovery ? t('auth.useAuthenticator') : t('auth.useRecoveryCode')}
          </button>
        </p>
      )}
    </form>
  );
};
