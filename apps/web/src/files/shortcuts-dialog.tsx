import { ModalDialog } from '../ui/modal-dialog.js';

const shortcuts: [string, string][] = [
  ['↑ ↓, Page Up/Down, Home/End', 'Move between rows'],
  ['Shift + arrows', 'Select a range'],
  ['Space / Ctrl + Space', 'Select / add to the selection'],
  ['Ctrl + A', 'Select everything in the folder'],
  ['Enter', 'Open'],
  ['Backspace or Alt + ↑', 'Go to the parent folder'],
  ['F2', 'Rename'],
  ['Delete', 'Move to the trash'],
  ['Ctrl + Z', 'Undo the last move, rename or trash'],
  ['Shift + F10 or the Menu key', 'More actions'],
  ['Letters', 'Jump to a name'],
  ['Escape', 'Clear the selection'],
  ['?', 'This list'],
];

export const ShortcutsDialog = ({ onClose }: { onClose(): void }) => (
  <ModalDialog title="Keyboard shortcuts" onClose={onClose}>
    <dl className="shortcuts">
      {shortcuts.map(([keys, action]) => (
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

/** Typing in a field is typing, not a shortcut. */
export const isTypingTarget = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
