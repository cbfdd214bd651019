import type { PasskeyDto } from '@myfile/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { errorMessage } from '../api/api-error.js';
import { formatDate } from '../api/format.js';
import { api } from '../api/http.js';
import { useReauth } from '../account/reauth-prompt.js';
import { useApiForm } from '../auth/use-api-form.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { createPasskey, passkeysSupported } from './passkey-ceremony.js';
import { useTranslation } from '../i18n/i18n.js';

const passkeysKey = ['passkeys'] as const;

/** Passkeys of the account: add several (each on a device or a security key), rename, remove. */
export const PasskeysSection = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const passkeys = useQuery({
    queryKey: passkeysKey,
    queryFn: () => api<{ passkeys: PasskeyDto[] }>('/api/auth/passkeys'),
  });
  const [name, setName] = useState('');
  const [removing, setRemoving] = useState<PasskeyDto | null>(null);
  const { errors, pending, run } = useApiForm();
  const { withReauth, prompt } = useReauth();
  const changed = () => {
    for (const key of [passkeysKey, ['security-events'], ['two-factor'], ['reauth-methods']]) {
      void queryClient.invalidateQueries({ queryKey: key });
    }
  };

  const add = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(() =>
      withReauth(async () => {
        const proof = await createPasskey();
        await api('/api/auth/passkeys', {
          method: 'POST',
          body: { ...proof, ...(name.trim() ? { name: name.trim() } : {}) },
        });
        setName('');
        changed();
      }),
    );
  };

  return (
    <section aria-labelledby="passkeys-title" className="panel">
      <h2 id="passkeys-title">{t('passkeys.title')}</h2>
      <p className="muted">{t('passkeys.intro')}</p>
      {passkeys.isError && <p role="alert">{errorMessage(passkeys.error)}</p>}
      <ul className="item-list" aria-label={t('passkeys.title')}>
        {passkeys.data?.passkeys.map((passkey) => (
          <PasskeyRow
            key={passkey.id}
            passkey={passkey}
            withReauth={withReauth}
            onChanged={changed}
            onRemove={() => setRemoving(passkey)}
          />
        ))}
      </ul>
      {passkeysSupported() ? (
        <form onSubmit={add} className="inline-form" noValidate aria-label={t('passkeys.add')}>
          <FormAlert message={errors.form} />
          <FormField
            label={t('passkeys.newName')}
            name="passkey-name"
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={errors.fields.name}
          />
          <button type="submit" className="button primary" disabled={pending}>
            {pending ? t('passkeys.waitingForDevice') : t('passkeys.add')}
          </button>
        </form>
      ) : (
        <p className="muted">{t('passkeys.unsupported')}</p>
      )}
      {prompt}
      {removing && (
        <ConfirmDialog
          title={t('passkeys.removeTitle', { name: removing.name })}
          confirmLabel={t('passkeys.removeConfirm')}
          danger
          onConfirm={() =>
            withReauth(async () => {
              await api(`/api/auth/passkeys/${removing.id}`, { method: 'DELETE' });
              changed();
            })
          }
          onClose={() => setRemoving(null)}
        >
          <p>{t('passkeys.removeBody')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
};

const PasskeyRow = ({
  passkey,
  withReauth,
  onChanged,
  onRemove,
}: {
  passkey: PasskeyDto;
  withReauth: (action: () => Promise<void>) => Promise<void>;
  onChanged: () => void;
  onRemove: () => void;
}) => {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(passkey.name);
  const { errors, pending, run } = useApiForm();

  const save = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(() =>
      withReauth(async () => {
        await api(`/api/auth/passkeys/${passkey.id}`, {
          method: 'PATCH',
          body: { name: name.trim() },
        });
        setEditing(false);
        onChanged();
      }),
    );
  };

  if (editing) {
    return (
      <li className="item-row">
        <form
          onSubmit={save}
          className="inline-form"
          noValidate
          aria-label={t('passkeys.renameNamed', { name: passkey.name })}
        >
          <FormAlert message={errors.form} />
          <FormField
            label={t('passkeys.name')}
            name="name"
            required
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={errors.fields.name}
          />
          <button type="submit" className="button primary" disabled={pending || !name.trim()}>
            {t('passkeys.save')}
          </button>
          <button type="button" className="button" onClick={() => setEditing(false)}>
            {t('common.cancel')}
          </button>
        </form>
      </li>
    );
  }
  return (
    <li className="item-row">
      <div className="item-main">
        <span>
          {passkey.name}
          {passkey.backedUp && <span className="badge">{t('passkeys.synced')}</span>}
        </span>
        <span className="muted small">
          {t('passkeys.added', { date: formatDate(passkey.createdAt) })} ·{' '}
          {passkey.lastUsedAt
            ? t('passkeys.lastUsed', { date: formatDate(passkey.lastUsedAt) })
            : t('passkeys.neverUsed')}
        </span>
      </div>
      <button
        type="button"
        className="button"
        aria-label={t('passkeys.renameNamed', { name: passkey.name })}
        onClick={() => {
          setName(passkey.name);
          setEditing(true);
        }}
      >
        {t('passkeys.rename')}
      </button>
      <button
        type="button"
        className="button danger"
        aria-label={t('passkeys.removeNamed', { name: passkey.name })}
        onClick={onRemove}
      >
        {t('passkeys.remove')}
      </button>
    </li>
  );
};
