import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from '../i18n/i18n.js';

type Props = {
  title: string;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
};

/**
 * A native modal dialog: the browser traps focus and Escape closes it. Focus goes back to
 * what opened it, which the browser only does when a dialog is closed, not removed.
 * `showModal()` focuses the first focusable element (the × button) and React's `autoFocus`
 * ran before it, so the dialog's own starting point is marked `data-autofocus` instead.
 */
export const ModalDialog = ({ title, onClose, children, wide }: Props) => {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
      const start = dialog.querySelector<HTMLElement>('[data-autofocus]');
      start?.focus();
    }
    return () => {
      dialog?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button
          type="button"
          className="icon-button"
          aria-label={t('common.close')}
          onClick={onClose}
        >
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
};
