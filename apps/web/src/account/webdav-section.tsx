import type { CreatedToken } from '@myfile/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { api } from '../api/http.js';
import { useApiForm } from '../auth/use-api-form.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { Trans, useTranslation } from '../i18n/i18n.js';

/**
 * Everything a person needs to mount their files elsewhere: the address, the user name, and an
 * app password (a personal token with read and write) minted here, shown once, with the rclone
 * command filled in.
 */
export const WebDavSection = ({ email }: { email: string }) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const url = `${window.location.origin}/dav/`;
  const host = window.location.host;
  const [currentPassword, setCurrentPassword] = useState('');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const { errors, pending, run } = useApiForm();
  const token = created?.token ?? 'YOUR_APP_PASSWORD';

  const mint = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(async () => {
      const name = `WebDAV (${new Date().toISOString().slice(0, 10)})`;
      const scopes = ['read', 'write'] as const;
      // The server wants the password unless this browser signed in in the last five minutes.
      const body = currentPassword
        ? { name, scopes: [...scopes], currentPassword }
        : { name, scopes: [...scopes] };
      setCreated(await api<CreatedToken>('/api/auth/tokens', { method: 'POST', body }));
      setCurrentPassword('');
      void queryClient.invalidateQueries({ queryKey: ['tokens'] });
      void queryClient.invalidateQueries({ queryKey: ['security-events'] });
    });
  };

  return (
    <section aria-labelledby="webdav-title" className="panel">
      <h2 id="webdav-title">{t('account.webdavTitle')}</h2>
      <p className="muted">{t('account.webdavIntro')}</p>
      <dl className="webdav-facts">
        <dt>{t('account.webdavAddress')}</dt>
        <dd>
          <code data-testid="webdav-url">{url}</code>
        </dd>
        <dt>{t('account.webdavUser')}</dt>
        <dd>
          <code>{email}</code>
        </dd>
      </dl>
      {created ? (
        <div className="notice" role="status">
          <p>{t('account.appPasswordShown')}</p>
          <code className="token-value" data-testid="webdav-password">
            {created.token}
          </code>
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
      ) : (
        <form onSubmit={mint} className="inline-form">
          <FormAlert message={errors.form} />
          <FormField
            label={t('account.appPasswordCurrent')}
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.target.value)}
            error={errors.fields.currentPassword}
          />
          <button type="submit" className="button primary" disabled={pending}>
            {t('account.createAppPassword')}
          </button>
        </form>
      )}
      <p className="muted small">{t('account.appPasswordWhere')}</p>
      {/* eslint-disable i18next/no-literal-string -- a program's name and a command line read the same in every language */}
      <h3>rclone</h3>
      <pre className="token-value">
        {`rclone config create myfile webdav url=${url} vendor=other \\\n  user=${email} pass="$(rclone obscure '${token}')"\nrclone sync ./photos myfile:Photos`}
      </pre>
      {/* eslint-enable i18next/no-literal-string */}
      <h3>{t('account.webdavSystems')}</h3>
      <ul>
        <li>
          <Trans i18nKey="account.webdavMac" values={{ url }} components={{ code: <code /> }} />
        </li>
        <li>
          <Trans i18nKey="account.webdavWindows" values={{ url }} components={{ code: <code /> }} />
        </li>
        <li>
          <Trans
            i18nKey="account.webdavGnome"
            values={{
              url: `${window.location.protocol === 'https:' ? 'davs' : 'dav'}://${host}/dav/`,
            }}
            components={{ code: <code /> }}
          />
        </li>
      </ul>
    </section>
  );
};
