import { useEffect, useId, useRef, type ReactNode } from 'react';

type Props = {
  title: string;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
};

/** A native modal dialog: focus is trapped and restored by the browser, Escape closes it. */
export const ModalDialog = ({ title, onClose, children, wide }: Props) => {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
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
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
};
