import type { CreatedToken } from '@myfile/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { api } from '../api/http.js';
import { useApiForm } from '../auth/use-api-form.js';
import { FormAlert, FormField } from '../ui/form-field.js';

/**
 * Everything a person needs to mount their files elsewhere: the address, the user name, and an
 * app password (a personal token with read and write) minted here, shown once, with the rclone
 * command filled in.
 */
export const WebDavSection = ({ email }: { email: string }) => {
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
      <h2 id="webdav-title">Connect a WebDAV client</h2>
      <p className="muted">
        Mount your files in Finder, Windows Explorer or GNOME Files, or sync them with rclone.
        Clients sign in with your email and an app password, never your account password.
      </p>
      <dl className="webdav-facts">
        <dt>Address</dt>
        <dd>
          <code data-testid="webdav-url">{url}</code>
        </dd>
        <dt>User name</dt>
        <dd>
          <code>{email}</code>
        </dd>
      </dl>
      {created ? (
        <div className="notice" role="status">
          <p>Your app password; copy it now, it will not be shown again:</p>
          <code className="token-value" data-testid="webdav-password">
            {created.token}
          </code>
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
      ) : (
        <form onSubmit={mint} className="inline-form">
          <FormAlert message={errors.form} />
          <FormField
            label="Current password, to create an app password (unless you signed in in the last five minutes)"
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.target.value)}
            error={errors.fields.currentPassword}
          />
          <button type="submit" className="button primary" disabled={pending}>
            Create an app password
          </button>
        </form>
      )}
      <p className="muted small">
        It appears under Personal access tokens, where you can revoke it.
      </p>
      <h3>rclone</h3>
      <pre className="token-value">
        {`rclone config create myfile webdav url=${url} vendor=other \\\n  user=${email} pass="$(rclone obscure '${token}')"\nrclone sync ./photos myfile:Photos`}
      </pre>
      <h3>macOS, Windows, Linux</h3>
      <ul>
        <li>
          macOS Finder: Go → Connect to Server (⌘K), <code>{url}</code>, as a registered user.
        </li>
        <li>
          Windows: This PC → Map network drive → Connect to a Web site, <code>{url}</code>.
        </li>
        <li>
          GNOME Files: Other Locations → Connect to Server,{' '}
          <code>{`${window.location.protocol === 'https:' ? 'davs' : 'dav'}://${host}/dav/`}</code>.
        </li>
      </ul>
    </section>
  );
};
