import { useEffect, useRef } from 'react';
import { useTranslation } from '../i18n/i18n.js';

export type MenuItem = { label: string; onSelect(): void; danger?: boolean };

type Props = { x: number; y: number; items: MenuItem[]; onClose(): void };

/** A menu at the pointer (or the active row): arrows move, Enter picks, Escape closes. */
export const ContextMenu = ({ x, y, items, onClose }: Props) => {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const close = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [onClose]);

  const left = Math.min(x, window.innerWidth - 200);
  const top = Math.min(y, window.innerHeight - items.length * 40 - 16);
  return (
    <div
      ref={ref}
      role="menu"
      aria-label={t('files.actions')}
      className="context-menu"
      style={{ left: Math.max(4, left), top: Math.max(4, top) }}
      onKeyDown={(event) => {
        const buttons = [
          ...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []),
        ];
        const index = buttons.indexOf(document.activeElement as HTMLElement);
        if (event.key === 'ArrowDown') buttons[(index + 1) % buttons.length]?.focus();
        else if (event.key === 'ArrowUp')
          buttons[(index - 1 + buttons.length) % buttons.length]?.focus();
        else if (event.key === 'Escape' || event.key === 'Tab') onClose();
        else return;
        event.preventDefault();
      }}
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={item.danger ? 'menu-item danger' : 'menu-item'}
          onClick={() => {
            onClose();
            item.onSelect();
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
};
