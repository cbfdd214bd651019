import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api/api-error.js';
import { ModalDialog } from './modal-dialog.js';
import { useTranslation } from '../i18n/i18n.js';

type Props = {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm(): Promise<void>;
  onClose(): void;
};

/** Asks before something that cannot be undone; a failure stays in the dialog as a sentence. */
export const ConfirmDialog = ({
  title,
  children,
  confirmLabel,
  danger,
  onConfirm,
  onClose,
}: Props) => {
  const { t } = useTranslation();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const confirm = async () => {
    setPending(true);
    setError(undefined);
    try {
      await onConfirm();
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
      setPending(false);
    }
  };
  return (
    <ModalDialog title={title} onClose={onClose}>
      <div className="confirm-body">{children}</div>
      {error && (
        <p role="alert" className="form-alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} data-autofocus>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className={danger ? 'button danger' : 'button primary'}
          disabled={pending}
          onClick={() => void confirm()}
        >
          {confirmLabel}
        </button>
      </div>
    </ModalDialog>
  );
};
