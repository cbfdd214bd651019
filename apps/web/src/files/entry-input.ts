import type { NodeDto } from '@myfile/contract';
import {
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
} from 'react';
import type { FileTableProps } from './file-table.js';

/** Dragging entries (rows or tiles): which are dragged, where they may land, and the drop itself. */
export type RowDrag = {
  /** The drag starts on this entry: it and the rest of the selection (if it is in it) go. */
  start(node: NodeDto, index: number): void;
  /** A folder the dragged entries may be dropped on (not one of them, not read-only). */
  accepts(node: NodeDto): boolean;
  drop(node: NodeDto): void;
  end(): void;
};

/** The drag's own type, so entries dragged are told apart from files dragged in from the desktop. */
const NODES_DRAG_TYPE = 'application/x-myfile-nodes';

export const isRowDrag = (event: DragEvent) => event.dataTransfer.types.includes(NODES_DRAG_TYPE);

/** Type-to-jump: letters typed within this long build one prefix. */
const TYPE_AHEAD_MS = 800;

/** What a view of a folder's entries (the list or the grid) hands its keyboard and pointer. */
type EntryInputProps = Pick<
  FileTableProps,
  | 'items'
  | 'selection'
  | 'select'
  | 'focus'
  | 'selectAll'
  | 'clearSelection'
  | 'renamingId'
  | 'onStartRename'
  | 'onOpen'
  | 'onDelete'
  | 'onGoUp'
  | 'onContextMenu'
  | 'selectionMode'
>;

/**
 * The keys of a folder's entries, the same in the list and the grid: they differ only in how
 * far an arrow or a page key moves (`steps`, asked at each key press since the view's size may
 * have changed) and where the context menu opens.
 */
export const useEntryKeys = ({
  props,
  active,
  moveTo,
  openMenu,
  steps,
}: {
  props: EntryInputProps;
  /** The index of the active entry, within `props.items`. */
  active: number;
  moveTo(index: number, extend: boolean): void;
  openMenu(): void;
  /** How far each moving key goes, by its `event.key` (arrows, PageUp and PageDown). */
  steps(): Partial<Record<string, number>>;
}) => {
  const { items } = props;
  const activeNode = items[active];
  const typed = useRef({ text: '', at: 0 });

  const jumpTo = (key: string) => {
    const now = Date.now();
    const text = (now - typed.current.at < TYPE_AHEAD_MS ? typed.current.text : '') + key;
    typed.current = { text: text.toLowerCase(), at: now };
    const prefix = typed.current.text;
    // One letter again and again cycles through the names starting with it.
    const repeated = prefix.length > 1 && prefix === (prefix[0] ?? '').repeat(prefix.length);
    const wanted = repeated ? (prefix[0] ?? '') : prefix;
    const start = repeated || prefix.length === 1 ? active + 1 : active;
    for (let step = 0; step < items.length; step += 1) {
      const index = (start + step) % items.length;
      if (items[index]?.name.toLowerCase().startsWith(wanted)) return moveTo(index, false);
    }
  };

  return (event: KeyboardEvent<HTMLDivElement>) => {
    if (props.renamingId) return;
    // A control inside the view has the focus (a sort button): its own keys, not the entries'.
    if (event.target !== event.currentTarget) return;
    if (props.onGoUp && (event.key === 'Backspace' || (event.altKey && event.key === 'ArrowUp'))) {
      event.preventDefault();
      props.onGoUp();
      return;
    }
    if (items.length === 0) return;
    // Any other key ends the name being typed.
    if (event.key.length !== 1) typed.current.text = '';
    const handled = () => {
      event.preventDefault();
      event.stopPropagation();
    };
    const step = steps()[event.key];
    if (step !== undefined) {
      handled();
      return moveTo(active + step, event.shiftKey);
    }
    switch (event.key) {
      case 'Home':
        handled();
        return moveTo(0, event.shiftKey);
      case 'End':
        handled();
        return moveTo(items.length - 1, event.shiftKey);
      case ' ':
        handled();
        return props.select(active, event.ctrlKey || event.metaKey ? 'toggle' : 'only');
      case 'Enter':
        handled();
        if (activeNode) props.onOpen(activeNode);
        return;
      case 'F2':
        handled();
        if (activeNode) props.onStartRename(activeNode);
        return;
      case 'Delete':
        handled();
        if (props.selection.ids.size === 0) props.select(active, 'only');
        return props.onDelete();
      case 'Escape':
        return props.clearSelection();
      case 'ContextMenu':
        handled();
        return openMenu();
      default:
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
          handled();
          props.selectAll();
        } else if (event.shiftKey && event.key === 'F10') {
          handled();
          openMenu();
        } else if (
          event.key.length === 1 &&
          event.key !== '?' &&
          !event.ctrlKey &&
          !event.metaKey &&
          !event.altKey
        ) {
          handled();
          jumpTo(event.key);
        }
    }
  };
};

/**
 * Clicks and taps on an entry, the same in the list and the grid: on a touch screen a tap opens
 * (there is no double click) and a long press opens the menu. Spread on the entry's element.
 */
export const useEntryPointer = (props: EntryInputProps) => {
  const lastPointer = useRef<string>('mouse');
  return (index: number, node: NodeDto) => ({
    onPointerDown: (event: PointerEvent) => {
      lastPointer.current = event.pointerType;
    },
    onClick: (event: MouseEvent) => {
      if (props.selectionMode) return props.select(index, 'toggle');
      if (lastPointer.current === 'touch' && props.selection.ids.size === 0) {
        props.focus(index);
        return props.onOpen(node);
      }
      const mode = event.shiftKey ? 'extend' : event.ctrlKey || event.metaKey ? 'toggle' : 'only';
      props.select(index, mode);
    },
    onContextMenu: (event: MouseEvent) => {
      event.preventDefault();
      if (!props.selection.ids.has(node.id)) props.select(index, 'only');
      props.onContextMenu({ x: event.clientX, y: event.clientY });
    },
  });
};

/**
 * Dragging entries onto a folder entry to move them, the same in the list and the grid: spread
 * `dragProps` on each entry's element; `dropTargetId` is the folder under the pointer.
 */
export const useEntryDrag = ({ drag, renamingId }: Pick<FileTableProps, 'drag' | 'renamingId'>) => {
  const [dropTargetId, setDropTargetId] = useState<string | null>(null);
  const dragProps = (node: NodeDto, index: number) =>
    drag
      ? {
          draggable: renamingId !== node.id,
          onDragStart: (event: DragEvent) => {
            drag.start(node, index);
            event.dataTransfer.effectAllowed = 'move';
            event.dataTransfer.setData(NODES_DRAG_TYPE, node.id);
            event.dataTransfer.setData('text/plain', node.name);
          },
          onDragEnd: () => {
            setDropTargetId(null);
            drag.end();
          },
          onDragOver: (event: DragEvent) => {
            if (!isRowDrag(event) || !drag.accepts(node)) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'move';
            setDropTargetId(node.id);
          },
          onDragLeave: () => setDropTargetId((current) => (current === node.id ? null : current)),
          onDrop: (event: DragEvent) => {
            if (!isRowDrag(event) || !drag.accepts(node)) return;
            event.preventDefault();
            event.stopPropagation();
            setDropTargetId(null);
            drag.drop(node);
          },
        }
      : {};
  return { dropTargetId, dragProps };
};
