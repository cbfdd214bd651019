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
import {
  changeShareRole,
  fetchShares,
  revokeShare,
  sharesQueryKey,
  shareWithPerson,
} from './sharing-api.js';

const roleWords: Record<ShareRoleDto, string> = {
  viewer: 'Viewer (can see and download)',
  editor: 'Editor (can also upload, rename, move and delete)',
};

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
}) => (
  <select
    className="role-picker"
    aria-label={label}
    value={value}
    disabled={disabled}
    onChange={(event) => onChange(event.target.value === 'editor' ? 'editor' : 'viewer')}
  >
    <option value="viewer">Viewer</option>
    <option value="editor">Editor</option>
  </select>
);

/** One person with access: their role can be changed, or their access removed after asking. */
const ShareRow = ({ share, onChanged }: { share: ShareDto; onChanged(): void }) => {
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
          <span>Remove access?</span>
          <button
            type="button"
            className="button danger"
            disabled={pending}
            onClick={() =>
              void act(() => revokeShare(share.id), `${share.email} no longer has access.`)
            }
          >
            Remove
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </span>
      ) : (
        <>
          <RolePicker
            label={`Role of ${share.email}`}
            value={share.role}
            disabled={pending}
            onChange={(role) =>
              void act(
                () => changeShareRole(share.id, role),
                `${share.email} is now ${role === 'editor' ? 'an editor' : 'a viewer'}.`,
              )
            }
          />
          <button
            type="button"
            className="button"
            aria-label={`Remove access of ${share.email}`}
            onClick={() => setConfirming(true)}
          >
            Remove
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
      toasts.show(
        `Shared with ${share.email}. If they have no account yet, they get an invitation by mail.`,
        'success',
      );
      setEmail('');
      refresh();
    });
  };

  const items = shares.data?.items ?? [];
  return (
    <ModalDialog title={`Share “${node.name}”`} onClose={onClose} wide>
      <form onSubmit={submit} className="share-form" noValidate>
        <FormAlert message={errors.form} />
        <FormField
          label="Email of the person to share with"
          name="email"
          type="email"
          autoComplete="off"
          data-autofocus
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={errors.fields.email}
        />
        <div className="field">
          <label htmlFor="share-role">Role</label>
          <select
            id="share-role"
            value={role}
            onChange={(event) => setRole(event.target.value === 'editor' ? 'editor' : 'viewer')}
          >
            <option value="viewer">{roleWords.viewer}</option>
            <option value="editor">{roleWords.editor}</option>
          </select>
        </div>
        <div className="dialog-actions">
          <button type="submit" className="button primary" disabled={pending}>
            Share
          </button>
        </div>
      </form>
      <h3 className="share-heading">Who has access</h3>
      {shares.isError ? (
        <p role="alert" className="form-alert">
          {errorMessage(shares.error)}
        </p>
      ) : shares.isPending ? (
        <p role="status" className="muted">
          Loading…
        </p>
      ) : (
        <ul className="share-list" aria-label="People with access">
          <li className="share-row">
            <span className="share-email">You</span>
            <span className="muted">Owner</span>
          </li>
          {items.map((share) => (
            <ShareRow key={share.id} share={share} onChanged={refresh} />
          ))}
        </ul>
      )}
      {shares.isSuccess && items.length === 0 && (
        <p className="muted small">Only you can open this {node.kind} so far.</p>
      )}
      <LinksSection node={node} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Done
        </button>
      </div>
    </ModalDialog>
  );
};
