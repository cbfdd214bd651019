import { useEffect, useRef, useState } from 'react';

type Props = { initial: string; onSubmit(name: string): void; onCancel(): void };

/** Inline rename: Enter saves, Escape or leaving the field cancels; the extension stays put. */
export const RenameInput = ({ initial, onSubmit, onCancel }: Props) => {
  const [value, setValue] = useState(initial);
  const ref = useRef<HTMLInputElement>(null);
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
      aria-label="New name"
      value={value}
      onChange={(event) => setValue(event.target.value)}
      onClick={(event) => event.stopPropagation()}
      onDoubleClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'Enter') {
          event.preventDefault();
          const name = value.trim();
          if (name && name !== initial) onSubmit(name);
          else onCancel();
        } else if (event.key === 'Escape') {
          event.preventDefault();
          onCancel();
        }
      }}
      onBlur={onCancel}
    />
  );
};
