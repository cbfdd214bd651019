import type {
  CreatedToken,
  SecurityEvent,
  SessionDto,
  TokenDto,
  TokenScope,
} from '@myfile/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { errorMessage } from '../api/api-error.js';
import { formatDate } from '../api/format.js';
import { api } from '../api/http.js';
import { useApiForm } from '../auth/use-api-form.js';
import { useSession } from '../session/session-context.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { useToasts } from '../ui/toasts.js';
import { PasskeysSection } from '../passkeys/passkeys-section.js';
import { AccountLifecycleSections } from './account-lifecycle-sections.js';
import { ChangePasswordForm } from './change-password-form.js';
import { useReauth } from './reauth-prompt.js';
import { SignInProvidersSection } from './sign-in-providers-section.js';
import { SignOutEverywhereDialog } from './sign-out-everywhere-dialog.js';
import { TwoFactorSection } from './two-factor-section.js';
import { UsageBar } from './usage-bar.js';
import { WebDavSection } from './webdav-section.js';
import { useTitle } from '../ui/use-title.js';
import { t, useTranslation } from '../i18n/i18n.js';
import type { accountEn } from '../i18n/catalogs/account.en.js';

type Revocation = { title: string; body: string; confirmLabel: string; path: string; done: string };

/** Revoking cannot be undone, so it is asked first; a refusal stays in the dialog. */
const useRevoke = (key: string) => {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [asking, setAsking] = useState<Revocation | null>(null);
  const revoke = async ({ path, done }: Revocation) => {
    try {
      await api(path, { method: 'DELETE' });
      toasts.show(done, 'success');
    } finally {
      void queryClient.invalidateQueries({ queryKey: [key] });
      void queryClient.invalidateQueries({ queryKey: ['security-events'] });
    }
  };
  const dialog = asking && (
    <ConfirmDialog
      title={asking.title}
      confirmLabel={asking.confirmLabel}
      danger
      onConfirm={() => revoke(asking)}
      onClose={() => setAsking(null)}
    >
      <p>{asking.body}</p>
    </ConfirmDialog>
  );
  return { ask: setAsking, dialog };
};

const SessionsSection = () => {
  const { t } = useTranslation();
  const sessions = useQuery({
    queryKey: ['sessions'],
    queryFn: () => api<{ sessions: SessionDto[] }>('/api/auth/sessions'),
  });
  const revoke = useRevoke('sessions');
  const others = sessions.data?.sessions.filter((session) => !session.current) ?? [];
  const [askingEverywhere, setAskingEverywhere] = useState(false);
  return (
    <section aria-labelledby="sessions-title" className="panel">
      <h2 id="sessions-title">{t('account.devices')}</h2>
      {sessions.isError && <p role="alert">{errorMessage(sessions.error)}</p>}
      <ul className="item-list" aria-label={t('account.sessions')}>
        {sessions.data?.sessions.map((session) => (
          <li key={session.id} className="item-row">
            <div className="item-main">
              <span>
                {session.device}
                {session.current && <span className="badge">{t('account.thisDevice')}</span>}
              </span>
              <span className="muted small">
                {session.ip ?? t('account.unknownAddress')} ·{' '}
                {t('account.lastSeen', { date: formatDate(session.lastSeenAt) })}
              </span>
            </div>
            {!session.current && (
              <button
                type="button"
                className="button"
                onClick={() =>
                  revoke.ask({
                    title: t('account.signOutDeviceTitle'),
                    body: t('account.signOutDeviceBody', { device: session.device }),
                    confirmLabel: t('account.signOutDeviceConfirm'),
                    path: `/api/auth/sessions/${session.id}`,
                    done: t('account.deviceSignedOut'),
                  })
                }
              >
                {t('account.signOut')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {others.length > 0 && (
        <button type="button" className="button danger" onClick={() => setAskingEverywhere(true)}>
          {t('account.signOutEverywhere')}
        </button>
      )}
      {askingEverywhere && (
        <SignOutEverywhereDialog
          otherDevices={others.length}
          onClose={() => setAskingEverywhere(false)}
        />
      )}
      {revoke.dialog}
    </section>
  );
};

const TokensSection = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: () => api<{ tokens: TokenDto[] }>('/api/auth/tokens'),
  });
  const revoke = useRevoke('tokens');
  const [name, setName] = useState('');
  const [write, setWrite] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const { errors, pending, run } = useApiForm();
  // Unless this browser signed in in the last five minutes, the server asks who is there.
  const { withReauth, prompt } = useReauth();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const scopes: TokenScope[] = write ? ['read', 'write'] : ['read'];
    void run(() =>
      withReauth(async () => {
        const body = { name, scopes };
        setCreated(await api<CreatedToken>('/api/auth/tokens', { method: 'POST', body }));
        setName('');
        void queryClient.invalidateQueries({ queryKey: ['tokens'] });
        void queryClient.invalidateQueries({ queryKey: ['security-events'] });
      }),
    );
  };

  return (
    <section aria-labelledby="tokens-title" className="panel">
      <h2 id="tokens-title">{t('account.tokensTitle')}</h2>
      <p className="muted">{t('account.tokensIntro')}</p>
      {created && (
        <div className="notice" role="status">
          <p>{t('account.copyNewToken', { name: created.name })}</p>
          <code className="token-value">{created.token}</code>
          <button
            type="button"
            className="button"
            onClick={() => void navigator.clipboard.writeText(created.token)}
          >
            {t('account.copy')}
          </button>
          <button type="button" className="button" onClick={() => setCreated(null)}>
            {t('account.done')}
          </button>
        </div>
      )}
      <form onSubmit={submit} className="inline-form">
        <FormAlert message={errors.form} />
        <FormField
          label={t('account.tokenName')}
          name="name"
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={errors.fields.name}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={write}
            onChange={(event) => setWrite(event.target.checked)}
          />{' '}
          {t('account.allowWrite')}
        </label>
        <button type="submit" className="button primary" disabled={pending || !name.trim()}>
          {t('account.createToken')}
        </button>
      </form>
      {prompt}
      <ul className="item-list" aria-label={t('account.tokens')}>
        {tokens.data?.tokens.map((token) => (
          <li key={token.id} className="item-row">
            <div className="item-main">
              <span>{token.name}</span>
              <span className="muted small">
                {token.scopes
                  .map((scope) =>
                    scope === 'write' ? t('account.scopeWrite') : t('account.scopeRead'),
                  )
                  .join(', ')}{' '}
                · {t('account.expires', { date: formatDate(token.expiresAt) })} ·{' '}
                {token.lastUsedAt
                  ? t('account.lastUsed', { date: formatDate(token.lastUsedAt) })
                  : t('account.neverUsed')}
              </span>
            </div>
            <button
              type="button"
              className="button danger"
              aria-label={t('account.revokeNamed', { name: token.name })}
              onClick={() =>
                revoke.ask({
                  title: t('account.revokeTitle', { name: token.name }),
                  body: t('account.revokeBody'),
                  confirmLabel: t('account.revokeConfirm'),
                  path: `/api/auth/tokens/${token.id}`,
                  done: t('account.revoked', { name: token.name }),
                })
              }
            >
              {t('account.revoke')}
            </button>
          </li>
        ))}
      </ul>
      {revoke.dialog}
    </section>
  );
};

type EventType = keyof typeof accountEn.event;
type Via = keyof typeof accountEn.via;

const eventTypes = new Set<string>([
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'password_reset_requested',
  'email_verified',
  'password_changed',
  'password_reset',
  'session_revoked',
  'token_created',
  'token_revoked',
  'refresh_reuse',
  'two_factor_enabled',
  'two_factor_disabled',
  'second_factor_failed',
  'recovery_code_used',
  'recovery_codes_regenerated',
  'reauthenticated',
  'passkey_added',
  'passkey_renamed',
  'passkey_removed',
  'passkey_failed',
  'sso_linked',
  'sso_unlinked',
] satisfies EventType[]);
const vias = new Set<string>([
  'password',
  'passkey',
  'sso',
  'totp',
  'recovery_code',
] satisfies Via[]);

const isEventType = (type: string): type is EventType => eventTypes.has(type);
const isVia = (value: unknown): value is Via => typeof value === 'string' && vias.has(value);

/** The event, and for a sign-in or a confirmation, how it was made (password + passkey…). */
const describeEvent = (event: SecurityEvent) => {
  // A type this build does not know yet still reads as words.
  const label = isEventType(event.type)
    ? t(`account.event.${event.type}`)
    : event.type.replaceAll('_', ' ');
  const { via, secondFactor } = event.details;
  if (!isVia(via)) return label;
  const words = t(`account.via.${via}`);
  return isVia(secondFactor)
    ? t('account.eventWithTwo', {
        event: label,
        via: words,
        second: t(`account.via.${secondFactor}`),
      })
    : t('account.eventWith', { event: label, via: words });
};

const SecurityEventsSection = () => {
  const { t } = useTranslation();
  const events = useQuery({
    queryKey: ['security-events'],
    queryFn: () => api<{ events: SecurityEvent[] }>('/api/auth/events?limit=50'),
  });
  return (
    <section aria-labelledby="events-title" className="panel">
      <h2 id="events-title">{t('account.securityTitle')}</h2>
      {events.isError && <p role="alert">{errorMessage(events.error)}</p>}
      <ul className="item-list" aria-label={t('account.securityEvents')}>
        {events.data?.events.map((event) => (
          <li key={event.id} className="item-row">
            <div className="item-main">
              <span>{describeEvent(event)}</span>
              <span className="muted small">
                {formatDate(event.createdAt)} · {event.ip ?? t('account.unknownAddress')}
              </span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
};

export const AccountPage = () => {
  const { t } = useTranslation();
  useTitle(t('account.title'));
  const session = useSession();
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{t('account.title')}</h1>
      {session.status === 'signed-in' && (
        <p>{t('account.signedInAs', { email: session.user.email })}</p>
      )}
      <section aria-labelledby="storage-title" className="panel">
        <h2 id="storage-title">{t('account.storage')}</h2>
        <UsageBar />
      </section>
      <SessionsSection />
      <ChangePasswordForm />
      <TwoFactorSection />
      <PasskeysSection />
      <SignInProvidersSection />
      <TokensSection />
      {session.status === 'signed-in' && <WebDavSection email={session.user.email} />}
      <SecurityEventsSection />
      <AccountLifecycleSections />
    </section>
  );
};
