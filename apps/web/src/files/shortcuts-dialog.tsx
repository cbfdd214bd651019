import { useTranslation } from '../i18n/i18n.js';
import { ModalDialog } from '../ui/modal-dialog.js';

type Shortcut = { keys: string; action: string };

export const ShortcutsDialog = ({ onClose }: { onClose(): void }) => {
  const { t } = useTranslation();
  // Key names follow the keyboard's own labels, which differ by language (Ctrl, Strg).
  const shortcuts: Shortcut[] = [
    { keys: t('files.shortcuts.rowsKeys'), action: t('files.shortcuts.rows') },
    { keys: t('files.shortcuts.rangeKeys'), action: t('files.shortcuts.range') },
    { keys: t('files.shortcuts.selectKeys'), action: t('files.shortcuts.select') },
    { keys: t('files.shortcuts.allKeys'), action: t('files.shortcuts.all') },
    { keys: t('files.shortcuts.openKey'), action: t('files.shortcuts.open') },
    { keys: t('files.shortcuts.upKeys'), action: t('files.shortcuts.up') },
    { keys: 'F2', action: t('files.shortcuts.rename') },
    { keys: t('files.shortcuts.deleteKey'), action: t('files.shortcuts.trash') },
    { keys: t('files.shortcuts.undoKeys'), action: t('files.shortcuts.undo') },
    { keys: t('files.shortcuts.menuKeys'), action: t('files.shortcuts.menu') },
    { keys: t('files.shortcuts.lettersKey'), action: t('files.shortcuts.letters') },
    { keys: t('files.shortcuts.clearKey'), action: t('files.shortcuts.clear') },
    { keys: '?', action: t('files.shortcuts.help') },
  ];
  return (
    <ModalDialog title={t('files.shortcuts.title')} onClose={onClose}>
      <dl className="shortcuts">
        {shortcuts.map(({ keys, action }) => (
          <div key={keys} className="shortcut">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{action}</dd>
          </div>
        ))}
      </dl>
    </ModalDialog>
  );
};

/** Typing in a field is typing, not a shortcut. */
export const isTypingTarget = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
