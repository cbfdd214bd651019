import { useEffect, useRef, useState } from 'react';
import { useTranslation } from '../i18n/i18n.js';

type Props = { initial: string; onSubmit(name: string): void; onCancel(): void };

/**
 * Inline rename: Enter or leaving the field saves what was typed (as every file manager
 * does), Escape cancels; the extension stays put.
 */
export const RenameInput = ({ initial, onSubmit, onCancel }: Props) => {
  const { t } = useTranslation();
  const [value, setValue] = useState(initial);
  const ref = useRef<HTMLInputElement>(null);
  // Enter then the blur it causes (the row re-renders) must save once, and Escape not at all.
  const done = useRef(false);
  const finish = () => {
    if (done.current) return;
    done.current = true;
    const name = value.trim();
    if (name && name !== initial) onSubmit(name);
    else onCancel();
  };
  useEffect(() => {
    const input = ref.current;
    if (!input) return;
    input.focus();
    const dot = initial.lastIndexOf('.');
    input.setSelectionRange(0, dot > 0 ? dot : initial.length);
  }, [initial]);
  return (
    <input
      ref={ref}
      className="rename-input"
      aria-label={t('files.newName')}
      value={value}
      onChange={(event) => setValue(event.target.value)}
      onClick={(event) => event.stopPropagation()}
      onDoubleClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'Enter') {
          event.preventDefault();
          finish();
        } else if (event.key === 'Escape') {
          event.preventDefault();
          done.current = true;
          onCancel();
        }
      }}
      onBlur={finish}
    />
  );
};
