import type { NodeDto, ShareDto, ShareRoleDto } from '@myfile/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { errorMessage } from '../api/api-error.js';
import { checkEmail } from '../auth/field-checks.js';
import { useApiForm } from '../auth/use-api-form.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { LinksSection } from '../links/links-section.js';
import { ModalDialog } from '../ui/modal-dialog.js';
import { useToasts } from '../ui/toasts.js';
import { useTranslation } from '../i18n/i18n.js';
import {
  changeShareRole,
  fetchShares,
  revokeShare,
  sharesQueryKey,
  shareWithPerson,
} from './sharing-api.js';

const RolePicker = ({
  value,
  label,
  onChange,
  disabled,
}: {
  value: ShareRoleDto;
  label: string;
  onChange(role: ShareRoleDto): void;
  disabled?: boolean;
}) => {
  const { t } = useTranslation();
  return (
    <select
      className="role-picker"
      aria-label={label}
      value={value}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value === 'editor' ? 'editor' : 'viewer')}
    >
      <option value="viewer">{t('sharing.viewer')}</option>
      <option value="editor">{t('sharing.editor')}</option>
    </select>
  );
};

/** One person with access: their role can be changed, or their access removed after asking. */
const ShareRow = ({ share, onChanged }: { share: ShareDto; onChanged(): void }) => {
  const { t } = useTranslation();
  const toasts = useToasts();
  const [pending, setPending] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const act = async (action: () => Promise<unknown>, done: string) => {
    setPending(true);
    try {
      await action();
      toasts.show(done, 'success');
    } catch (error) {
      toasts.showError(error);
    } finally {
      setPending(false);
      setConfirming(false);
      onChanged();
    }
  };
  return (
    <li className="share-row">
      <span className="share-email" title={share.email}>
        {share.email}
      </span>
      {confirming ? (
        <span className="share-confirm">
          <span>{t('sharing.removeAccessQuestion')}</span>
          <button
            type="button"
            className="button danger"
            disabled={pending}
            onClick={() =>
              void act(
                () => revokeShare(share.id),
                t('sharing.noLongerHasAccess', { email: share.email }),
              )
            }
          >
            {t('sharing.remove')}
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            {t('sharing.keep')}
          </button>
        </span>
      ) : (
        <>
          <RolePicker
            label={t('sharing.roleOf', { email: share.email })}
            value={share.role}
            disabled={pending}
            onChange={(role) =>
              void act(
                () => changeShareRole(share.id, role),
                role === 'editor'
                  ? t('sharing.nowEditor', { email: share.email })
                  : t('sharing.nowViewer', { email: share.email }),
              )
            }
          />
          <button
            type="button"
            className="button"
            aria-label={t('sharing.removeAccessOf', { email: share.email })}
            onClick={() => setConfirming(true)}
          >
            {t('sharing.remove')}
          </button>
        </>
      )}
    </li>
  );
};

/**
 * Who may open an item, for its owner: share by email as viewer or editor, change a role,
 * remove access. The answer to sharing is the same whether or not the address has an
 * account, so the dialog says so instead of claiming the person was found.
 */
export const ShareDialog = ({
  node,
  onClose,
}: {
  node: Pick<NodeDto, 'id' | 'name' | 'kind'>;
  onClose(): void;
}) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const shares = useQuery({
    queryKey: sharesQueryKey(node.id),
    queryFn: () => fetchShares(node.id),
  });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<ShareRoleDto>('viewer');
  const { errors, pending, run, check } = useApiForm();

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: sharesQueryKey(node.id) });
    void queryClient.invalidateQueries({ queryKey: ['children'] });
    void queryClient.invalidateQueries({ queryKey: ['shared-by-me'] });
  };

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (!check({ email: checkEmail(email) })) return;
    void run(async () => {
      const share = await shareWithPerson(node.id, email.trim(), role);
      toasts.show(t('sharing.sharedWith', { email: share.email }), 'success');
      setEmail('');
      refresh();
    });
  };

  const items = shares.data?.items ?? [];
  return (
    <ModalDialog title={t('sharing.dialogTitle', { name: node.name })} onClose={onClose} wide>
      <form onSubmit={submit} className="share-form" noValidate>
        <FormAlert message={errors.form} />
        <FormField
          label={t('sharing.emailLabel')}
          name="email"
          type="email"
          autoComplete="off"
          data-autofocus
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={errors.fields.email}
        />
        <div className="field">
          <label htmlFor="share-role">{t('sharing.role')}</label>
          <select
            id="share-role"
            value={role}
            onChange={(event) => setRole(event.target.value === 'editor' ? 'editor' : 'viewer')}
          >
            <option value="viewer">{t('sharing.viewerLong')}</option>
            <option value="editor">{t('sharing.editorLong')}</option>
          </select>
        </div>
        <div className="dialog-actions">
          <button type="submit" className="button primary" disabled={pending}>
            {t('sharing.share')}
          </button>
        </div>
      </form>
      <h3 className="share-heading">{t('sharing.whoHasAccess')}</h3>
      {shares.isError ? (
        <p role="alert" className="form-alert">
          {errorMessage(shares.error)}
        </p>
      ) : shares.isPending ? (
        <p role="status" className="muted">
          {t('common.loading')}
        </p>
      ) : (
        <ul className="share-list" aria-label={t('sharing.peopleWithAccess')}>
          <li className="share-row">
            <span className="share-email">{t('sharing.you')}</span>
            <span className="muted">{t('sharing.owner')}</span>
          </li>
          {items.map((share) => (
            <ShareRow key={share.id} share={share} onChanged={refresh} />
          ))}
        </ul>
      )}
      {shares.isSuccess && items.length === 0 && (
        <p className="muted small">
          {node.kind === 'file' ? t('sharing.onlyYouFile') : t('sharing.onlyYouFolder')}
        </p>
      )}
      <LinksSection node={node} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {t('sharing.done')}
        </button>
      </div>
    </ModalDialog>
  );
};
