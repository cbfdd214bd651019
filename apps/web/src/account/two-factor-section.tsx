import type {
  ReauthMethods,
  RecoveryCodes,
  TotpEnrolment,
  TwoFactorStatus,
} from '@myfile/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { errorMessage } from '../api/api-error.js';
import { formatDate } from '../api/format.js';
import { api } from '../api/http.js';
import { useApiForm } from '../auth/use-api-form.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { useReauth } from './reauth-prompt.js';
import { useTranslation } from '../i18n/i18n.js';

const codeField = {
  name: 'code',
  inputMode: 'numeric',
  autoComplete: 'one-time-code',
  required: true,
} as const;

/** Turning an authenticator app on (QR code, first code, recovery codes once) and off. */
export const TwoFactorSection = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: ['two-factor'],
    queryFn: () => api<TwoFactorStatus>('/api/auth/2fa'),
  });
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const changed = () => {
    void queryClient.invalidateQueries({ queryKey: ['two-factor'] });
    void queryClient.invalidateQueries({ queryKey: ['security-events'] });
  };

  return (
    <section aria-labelledby="two-factor-title" className="panel">
      <h2 id="two-factor-title">{t('auth.twoFactorTitle')}</h2>
      {status.isError && <p role="alert">{errorMessage(status.error)}</p>}
      {recoveryCodes && (
        <div className="notice" role="status">
          <p>{t('account.saveRecoveryCodes')}</p>
          <ul aria-label={t('account.recoveryCodes')} className="recovery-codes">
            {recoveryCodes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button"
            onClick={() => void navigator.clipboard.writeText(recoveryCodes.join('\n'))}
          >
            {t('account.copy')}
          </button>
          <button type="button" className="button" onClick={() => setRecoveryCodes(null)}>
            {t('account.done')}
          </button>
        </div>
      )}
      {status.data?.enabled === true && (
        <>
          <p>
            {status.data.enabledAt
              ? t('account.onSince', { date: formatDate(status.data.enabledAt) })
              : t('account.onSinceSetUp')}{' '}
            · {t('account.codesLeft', { count: status.data.recoveryCodesLeft })}
          </p>
          <NewRecoveryCodes
            onCodes={(codes) => {
              setRecoveryCodes(codes);
              changed();
            }}
          />
          <DisableForm onDone={changed} />
        </>
      )}
      {status.data?.enabled === false && (
        <EnrolForm
          onEnabled={(codes) => {
            setRecoveryCodes(codes);
            changed();
          }}
        />
      )}
    </section>
  );
};

const EnrolForm = ({ onEnabled }: { onEnabled: (codes: string[]) => void }) => {
  const { t } = useTranslation();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const { errors, pending, run } = useApiForm();
  const { withReauth, prompt } = useReauth();

  const start = () =>
    void run(() =>
      withReauth(async () => {
        setEnrolment(
          await api<TotpEnrolment>('/api/auth/2fa/totp/enrol', { method: 'POST', body: {} }),
        );
      }),
    );

  const confirm = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(() =>
      withReauth(async () => {
        const answer = await api<RecoveryCodes>('/api/auth/2fa/totp/confirm', {
          method: 'POST',
          body: { code: code.trim() },
        });
        setEnrolment(null);
        setCode('');
        onEnabled(answer.recoveryCodes);
      }),
    );
  };

  if (!enrolment) {
    return (
      <>
        <p className="muted">{t('account.twoFactorOff')}</p>
        <FormAlert message={errors.form} />
        <button type="button" className="button primary" disabled={pending} onClick={start}>
          {t('account.setUpApp')}
        </button>
        {prompt}
      </>
    );
  }
  return (
    <form onSubmit={confirm} noValidate>
      <p>{t('account.scanCode')}</p>
      <img src={enrolment.qrCode} alt={t('account.qrAlt')} width={200} />
      <p className="muted small">
        {t('account.cannotScan')} <code data-testid="totp-secret">{enrolment.secret}</code>
      </p>
      <FormAlert message={errors.form} />
      <FormField
        {...codeField}
        label={t('account.codeFromApp')}
        value={code}
        onChange={(event) => setCode(event.target.value)}
        error={errors.fields.code}
      />
      <button type="submit" className="button primary" disabled={pending || !code.trim()}>
        {t('account.turnOn')}
      </button>
      {prompt}
    </form>
  );
};

/** Ten new codes, shown once; the old ones stop working. Needs a recent confirmation. */
const NewRecoveryCodes = ({ onCodes }: { onCodes: (codes: string[]) => void }) => {
  const { t } = useTranslation();
  const { errors, pending, run } = useApiForm();
  const { withReauth, prompt } = useReauth();
  const regenerate = () =>
    void run(() =>
      withReauth(async () => {
        const answer = await api<RecoveryCodes>('/api/auth/2fa/recovery-codes', {
          method: 'POST',
          body: {},
        });
        onCodes(answer.recoveryCodes);
      }),
    );
  return (
    <>
      <FormAlert message={errors.form} />
      <p>
        <button type="button" className="button" disabled={pending} onClick={regenerate}>
          {t('account.makeNewCodes')}
        </button>{' '}
        <span className="muted small">{t('account.oldCodesStop')}</span>
      </p>
      {prompt}
    </>
  );
};

const DisableForm = ({ onDone }: { onDone: () => void }) => {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const { errors, pending, run } = useApiForm({
    invalid_credentials: { message: t('account.passwordOrCodeWrong') },
  });
  // An account made by a provider has no password: a recent sign-in stands in for it.
  const methods = useQuery({
    queryKey: ['reauth-methods'],
    queryFn: () => api<ReauthMethods>('/api/auth/reauth'),
  });
  const needsPassword = methods.data?.methods.includes('password') ?? true;
  const { withReauth, prompt } = useReauth();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(() =>
      withReauth(async () => {
        await api('/api/auth/2fa/disable', {
          method: 'POST',
          body: { ...(needsPassword ? { password } : {}), code: code.trim() },
        });
        setPassword('');
        setCode('');
        onDone();
      }),
    );
  };

  return (
    <>
      <form
        onSubmit={submit}
        className="inline-form"
        noValidate
        aria-label={t('account.turnOffTwoFactor')}
      >
        <FormAlert message={errors.form} />
        {needsPassword && (
          <FormField
            label={t('account.password')}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={errors.fields.password}
          />
        )}
        <FormField
          {...codeField}
          label={t('account.codeOrRecovery')}
          inputMode="text"
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={errors.fields.code}
        />
        <button
          type="submit"
          className="button danger"
          disabled={pending || (needsPassword && !password) || !code}
        >
          {t('account.turnOffTwoFactor')}
        </button>
      </form>
      {prompt}
    </>
  );
};
