import type { NodeDto } from '@myfile/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, errorMessage } from '../api/api-error.js';
import { t, useTranslation } from '../i18n/i18n.js';
import { useToasts } from '../ui/toasts.js';
import { ModalDialog } from '../ui/modal-dialog.js';
import {
  findChildrenByName,
  moveNodes,
  moveRenamed,
  numberedName,
  trashNodes,
} from './files-api.js';

export type ClashChoice = 'replace' | 'keep-both' | 'skip';

type Props = {
  /** Items not moved because the target already holds their name. */
  clashes: readonly NodeDto[];
  targetId: string;
  targetName: string;
  onClose(): void;
};

/** Keep both: the first "name (n)" the target does not hold yet. */
const moveKeepingBoth = async (node: NodeDto, targetId: string) => {
  for (let n = 1; n < 1000; n += 1) {
    try {
      return await moveRenamed(node, targetId, numberedName(node.name, n));
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'name_conflict')) throw error;
    }
  }
  throw new ApiError({
    status: 409,
    code: 'name_conflict',
    message: t('files.clash.noFreeName', { name: node.name }),
  });
};

/** Replace: the item already there goes to the trash (restorable), then this one moves in. */
const moveReplacing = async (node: NodeDto, targetId: string) => {
  const existing = (await findChildrenByName(targetId, new Set([node.name]))).get(node.name);
  if (existing) await trashNodes([existing.id]);
  const [result] = await moveNodes([node.id], targetId);
  if (result && !result.ok) {
    throw new ApiError({
      status: 409,
      code: 'conflict',
      message: result.error?.message ?? t('files.clash.notMoved', { name: node.name }),
    });
  }
};

/**
 * Asks, one clash at a time, whether to replace what is there, keep both, or skip; "Do this
 * for all" answers the rest at once. Nothing is moved or replaced without an answer.
 */
export const ClashDialog = ({ clashes, targetId, targetName, onClose }: Props) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [index, setIndex] = useState(0);
  const [applyToAll, setApplyToAll] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const current = clashes[index];
  const remaining = clashes.length - index;

  const resolve = async (choice: ClashChoice) => {
    const batch = applyToAll ? clashes.slice(index) : clashes.slice(index, index + 1);
    setPending(true);
    setError(undefined);
    let done = 0;
    try {
      for (const node of batch) {
        if (choice === 'keep-both') await moveKeepingBoth(node, targetId);
        if (choice === 'replace') await moveReplacing(node, targetId);
        done += 1;
      }
    } catch (caught) {
      setError(errorMessage(caught));
      setIndex(index + done);
      setPending(false);
      return;
    } finally {
      for (const key of ['children', 'trash', 'usage', 'search']) {
        void queryClient.invalidateQueries({ queryKey: [key] });
      }
    }
    setPending(false);
    if (choice !== 'skip') {
      toasts.show(
        t(choice === 'replace' ? 'files.clash.replaced' : 'files.clash.moved', {
          count: batch.length,
        }),
        'success',
      );
    }
    if (index + batch.length >= clashes.length) onClose();
    else setIndex(index + batch.length);
  };

  if (!current) return null;
  return (
    <ModalDialog title={t('files.clash.title')} onClose={onClose}>
      <p>
        {t('files.clash.exists', { name: current.name, folder: targetName })}
        {remaining > 1 && ` ${t('files.clash.inAll', { count: remaining })}`}
      </p>
      {error && (
        <p role="alert" className="form-alert">
          {error}
        </p>
      )}
      {remaining > 1 && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={applyToAll}
            onChange={(event) => setApplyToAll(event.target.checked)}
          />{' '}
          {t('files.clash.forAll', { count: remaining })}
        </label>
      )}
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          disabled={pending}
          onClick={() => void resolve('skip')}
        >
          {t('files.clash.skip')}
        </button>
        <button
          type="button"
          className="button"
          disabled={pending}
          onClick={() => void resolve('replace')}
        >
          {t('files.clash.replace')}
        </button>
        <button
          type="button"
          className="button primary"
          disabled={pending}
          data-autofocus
          onClick={() => void resolve('keep-both')}
        >
          {t('files.clash.keepBoth')}
        </button>
      </div>
    </ModalDialog>
  );
};
