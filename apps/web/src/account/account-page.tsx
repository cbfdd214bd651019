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
  const sessions = useQuery({
    queryKey: ['sessions'],
    queryFn: () => api<{ sessions: SessionDto[] }>('/api/auth/sessions'),
  });
  const revoke = useRevoke('sessions');
  const others = sessions.data?.sessions.filter((session) => !session.current) ?? [];
  const [askingEverywhere, setAskingEverywhere] = useState(false);
  return (
    <section aria-labelledby="sessions-title" className="panel">
      <h2 id="sessions-title">Signed-in devices</h2>
      {sessions.isError && <p role="alert">{errorMessage(sessions.error)}</p>}
      <ul className="item-list" aria-label="Sessions">
        {sessions.data?.sessions.map((session) => (
          <li key={session.id} className="item-row">
            <div className="item-main">
              <span>
                {session.device}
                {session.current && <span className="badge">This device</span>}
              </span>
              <span className="muted small">
                {session.ip ?? 'unknown address'} · last seen {formatDate(session.lastSeenAt)}
              </span>
            </div>
            {!session.current && (
              <button
                type="button"
                className="button"
                onClick={() =>
                  revoke.ask({
                    title: 'Sign out this device?',
                    body: `${session.device} will have to sign in again.`,
                    confirmLabel: 'Sign out device',
                    path: `/api/auth/sessions/${session.id}`,
                    done: 'The device is signed out.',
                  })
                }
              >
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      {others.length > 0 && (
        <button type="button" className="button danger" onClick={() => setAskingEverywhere(true)}>
          Sign out everywhere else
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
      <h2 id="tokens-title">Personal access tokens</h2>
      <p className="muted">
        For scripts and the command line. A token is shown once, when you create it.
      </p>
      {created && (
        <div className="notice" role="status">
          <p>Copy your new token “{created.name}” now; it will not be shown again:</p>
          <code className="token-value">{created.token}</code>
          <button
            type="button"
            className="button"
            onClick={() => void navigator.clipboard.writeText(created.token)}
          >
            Copy
          </button>
          <button type="button" className="button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      <form onSubmit={submit} className="inline-form">
        <FormAlert message={errors.form} />
        <FormField
          label="Token name"
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
          Allow changes (write)
        </label>
        <button type="submit" className="button primary" disabled={pending || !name.trim()}>
          Create token
        </button>
      </form>
      {prompt}
      <ul className="item-list" aria-label="Tokens">
        {tokens.data?.tokens.map((token) => (
          <li key={token.id} className="item-row">
            <div className="item-main">
              <span>{token.name}</span>
              <span className="muted small">
                {token.scopes.join(', ')} · expires {formatDate(token.expiresAt)} ·{' '}
                {token.lastUsedAt ? `last used ${formatDate(token.lastUsedAt)}` : 'never used'}
              </span>
            </div>
            <button
              type="button"
              className="button danger"
              aria-label={`Revoke ${token.name}`}
              onClick={() =>
                revoke.ask({
                  title: `Revoke “${token.name}”?`,
                  body: 'Scripts using this token stop working at once. This cannot be undone.',
                  confirmLabel: 'Revoke token',
                  path: `/api/auth/tokens/${token.id}`,
                  done: `Revoked “${token.name}”.`,
                })
              }
            >
              Revoke
            </button>
          </li>
        ))}
      </ul>
      {revoke.dialog}
    </section>
  );
};

const eventLabels: Record<string, string> = {
  sign_in: 'Signed in',
  sign_in_failed: 'Failed sign-in',
  sign_out: 'Signed out',
  password_reset_requested: 'Password reset requested',
  email_verified: 'Email confirmed',
  password_changed: 'Password changed',
  password_reset: 'Password reset',
  session_revoked: 'Device signed out',
  token_created: 'Token created',
  token_revoked: 'Token revoked',
  refresh_reuse: 'Stolen session detected and ended',
  two_factor_enabled: 'Two-factor turned on',
  two_factor_disabled: 'Two-factor turned off',
  second_factor_failed: 'Wrong two-factor code',
  recovery_code_used: 'Recovery code used',
  recovery_codes_regenerated: 'New recovery codes made',
  reauthenticated: 'Confirmed it was you',
  passkey_added: 'Passkey added',
  passkey_renamed: 'Passkey renamed',
  passkey_removed: 'Passkey removed',
  passkey_failed: 'Passkey refused',
  sso_linked: 'Sign-in provider linked',
  sso_unlinked: 'Sign-in provider unlinked',
};

const viaWords: Record<string, string> = {
  password: 'password',
  passkey: 'a passkey',
  sso: 'a sign-in provider',
  totp: 'an authenticator code',
  recovery_code: 'a recovery code',
};

/** The event, and for a sign-in or a confirmation, how it was made (password + passkey…). */
const describeEvent = (event: SecurityEvent) => {
  const label = eventLabels[event.type] ?? event.type.replaceAll('_', ' ');
  const { via, secondFactor } = event.details;
  if (typeof via !== 'string' || !viaWords[via]) return label;
  const second = typeof secondFactor === 'string' ? viaWords[secondFactor] : undefined;
  return `${label} with ${viaWords[via]}${second ? ` and ${second}` : ''}`;
};

const SecurityEventsSection = () => {
  const events = useQuery({
    queryKey: ['security-events'],
    queryFn: () => api<{ events: SecurityEvent[] }>('/api/auth/events?limit=50'),
  });
  return (
    <section aria-labelledby="events-title" className="panel">
      <h2 id="events-title">Security activity</h2>
      {events.isError && <p role="alert">{errorMessage(events.error)}</p>}
      <ul className="item-list" aria-label="Security events">
        {events.data?.events.map((event) => (
          <li key={event.id} className="item-row">
            <div className="item-main">
              <span>{describeEvent(event)}</span>
              <span className="muted small">
                {formatDate(event.createdAt)} · {event.ip ?? 'unknown address'}
              </span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
};

export const AccountPage = () => {
  useTitle('Account');
  const session = useSession();
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Account</h1>
      {session.status === 'signed-in' && <p>Signed in as {session.user.email}.</p>}
      <section aria-labelledby="storage-title" className="panel">
        <h2 id="storage-title">Storage</h2>
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
