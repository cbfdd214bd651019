import type { NodeDto } from '@myfile/contract';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { formatBytes } from '../api/format.js';
import { NodeIcon } from './node-icon.js';
import { RenameInput } from './rename-input.js';
import { StorageBadge } from './storage-badge.js';
import './file-tiles.css';
import type { Selection } from './use-selection.js';

/** A tile's box (app.css .file-tile), gap included. */
export const TILE_WIDTH = 168;
export const TILE_HEIGHT = 208;
/** How close to the end of what is loaded (in rows of tiles) the next page is asked for. */
const PREFETCH_ROWS = 8;
const TYPE_AHEAD_MS = 800;

type Props = {
  label: string;
  items: NodeDto[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage(): void;
  selection: Selection;
  select(index: number, mode: 'only' | 'toggle' | 'extend'): void;
  focus(index: number): void;
  selectAll(): void;
  clearSelection(): void;
  renamingId: string | null;
  onStartRename(node: NodeDto): void;
  onRename(node: NodeDto, name: string): void;
  onCancelRename(): void;
  onOpen(node: NodeDto): void;
  onDelete(): void;
  onContextMenu(position: { x: number; y: number }): void;
  onGoUp?(): void;
  autoFocus?: boolean;
};

/** How many tiles fit across the scrolling box, followed as it is resized. */
const useColumns = (element: HTMLDivElement | null) => {
  const [columns, setColumns] = useState(4);
  useEffect(() => {
    if (!element) return;
    const measure = () =>
      setColumns(Math.max(1, Math.floor((element.clientWidth - 16) / TILE_WIDTH)));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return columns;
};

/**
 * A folder's entries as tiles with their 256 px thumbnails: an ARIA grid of rows of tiles,
 * only the rows on screen in the DOM, the same keys and selection as the list (← → move by
 * one, ↑ ↓ by a row).
 */
export const FileTiles = (props: Props) => {
  const { items, hasNextPage, isFetchingNextPage, fetchNextPage, selection } = props;
  const [scrollElement, setScrollElement] = useState<HTMLDivElement | null>(null);
  const columns = useColumns(scrollElement);
  const rows = Math.ceil(items.length / columns) + (hasNextPage ? 1 : 0);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollElement,
    estimateSize: () => TILE_HEIGHT,
    overscan: 3,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastVisibleRow = virtualRows.at(-1)?.index ?? 0;

  useEffect(() => {
    if (
      hasNextPage &&
      !isFetchingNextPage &&
      lastVisibleRow >= Math.ceil(items.length / columns) - PREFETCH_ROWS
    ) {
      fetchNextPage();
    }
  }, [hasNextPage, isFetchingNextPage, lastVisibleRow, items.length, columns, fetchNextPage]);

  const active = Math.min(selection.active, Math.max(items.length - 1, 0));
  const activeNode = items[active];
  useEffect(() => {
    virtualizer.scrollToIndex(Math.floor(active / columns), { align: 'auto' });
  }, [virtualizer, active, columns]);

  const moveTo = (index: number, extend: boolean) => {
    const target = Math.max(0, Math.min(index, items.length - 1));
    if (extend) props.select(target, 'extend');
    else props.focus(target);
    virtualizer.scrollToIndex(Math.floor(target / columns), { align: 'auto' });
  };

  const { autoFocus } = props;
  useEffect(() => {
    if (autoFocus) scrollElement?.focus();
  }, [autoFocus, scrollElement]);

  const typed = useRef({ text: '', at: 0 });
  const jumpTo = (key: string) => {
    const now = Date.now();
    const text = (now - typed.current.at < TYPE_AHEAD_MS ? typed.current.text : '') + key;
    typed.current = { text: text.toLowerCase(), at: now };
    const prefix = typed.current.text;
    const repeated = prefix.length > 1 && prefix === (prefix[0] ?? '').repeat(prefix.length);
    const wanted = repeated ? (prefix[0] ?? '') : prefix;
    const start = repeated || prefix.length === 1 ? active + 1 : active;
    for (let step = 0; step < items.length; step += 1) {
      const index = (start + step) % items.length;
      if (items[index]?.name.toLowerCase().startsWith(wanted)) return moveTo(index, false);
    }
  };

  const openMenuAtTile = () => {
    if (!selection.ids.has(activeNode?.id ?? '')) props.select(active, 'only');
    const tile = scrollElement?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    const box = tile?.getBoundingClientRect();
    props.onContextMenu({ x: (box?.left ?? 0) + 24, y: (box?.bottom ?? 0) - 8 });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (props.renamingId || event.target !== event.currentTarget) return;
    if (props.onGoUp && (event.key === 'Backspace' || (event.altKey && event.key === 'ArrowUp'))) {
      event.preventDefault();
      props.onGoUp();
      return;
    }
    if (items.length === 0) return;
    if (event.key.length !== 1) typed.current.text = '';
    const visibleRows = Math.max(1, Math.floor((scrollElement?.clientHeight ?? 480) / TILE_HEIGHT));
    const handled = () => {
      event.preventDefault();
      event.stopPropagation();
    };
    switch (event.key) {
      case 'ArrowRight':
        handled();
        return moveTo(active + 1, event.shiftKey);
      case 'ArrowLeft':
        handled();
        return moveTo(active - 1, event.shiftKey);
      case 'ArrowDown':
        handled();
        return moveTo(active + columns, event.shiftKey);
      case 'ArrowUp':
        handled();
        return moveTo(active - columns, event.shiftKey);
      case 'PageDown':
        handled();
        return moveTo(active + columns * visibleRows, event.shiftKey);
      case 'PageUp':
        handled();
        return moveTo(active - columns * visibleRows, event.shiftKey);
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
        if (selection.ids.size === 0) props.select(active, 'only');
        return props.onDelete();
      case 'Escape':
        return props.clearSelection();
      case 'ContextMenu':
        handled();
        return openMenuAtTile();
      default:
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
          handled();
          props.selectAll();
        } else if (event.shiftKey && event.key === 'F10') {
          handled();
          openMenuAtTile();
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

  const lastPointer = useRef<string>('mouse');
  const onTileClick = (event: MouseEvent, index: number, node: NodeDto) => {
    if (lastPointer.current === 'touch' && selection.ids.size === 0) {
      props.focus(index);
      props.onOpen(node);
      return;
    }
    const mode = event.shiftKey ? 'extend' : event.ctrlKey || event.metaKey ? 'toggle' : 'only';
    props.select(index, mode);
  };

  const onTileContextMenu = (event: MouseEvent, index: number, node: NodeDto) => {
    event.preventDefault();
    if (!selection.ids.has(node.id)) props.select(index, 'only');
    props.onContextMenu({ x: event.clientX, y: event.clientY });
  };

  const tile = (node: NodeDto, index: number) => {
    const selected = selection.ids.has(node.id);
    return (
      <div
        key={node.id}
        id={`tile-${node.id}`}
        role="gridcell"
        aria-selected={selected}
        data-index={index}
        className={`file-tile${selected ? ' selected' : ''}${index === active ? ' active' : ''}`}
        onPointerDown={(event) => (lastPointer.current = event.pointerType)}
        onClick={(event) => onTileClick(event, index, node)}
        onDoubleClick={() => props.onOpen(node)}
        onContextMenu={(event) => onTileContextMenu(event, index, node)}
      >
        <div className="tile-picture">
          <NodeIcon node={node} />
        </div>
        {props.renamingId === node.id ? (
          <RenameInput
            initial={node.name}
            onSubmit={(name) => props.onRename(node, name)}
            onCancel={props.onCancelRename}
          />
        ) : (
          <span className="node-name" title={node.name}>
            {node.name}
          </span>
        )}
        <span className="tile-facts muted">
          {node.kind === 'folder' ? 'Folder' : formatBytes(node.size)}
          <StorageBadge node={node} />
          {node.shared && <span className="badge badge-shared">Shared</span>}
        </span>
      </div>
    );
  };

  return (
    <div
      ref={setScrollElement}
      className="file-grid file-tiles"
      data-testid="file-scroll"
      role="grid"
      aria-label={props.label}
      aria-multiselectable="true"
      aria-colcount={columns}
      aria-activedescendant={activeNode ? `tile-${activeNode.id}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="file-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualRows.map((virtualRow) => {
          const first = virtualRow.index * columns;
          const style = { transform: `translateY(${virtualRow.start}px)`, height: TILE_HEIGHT };
          if (first >= items.length) {
            return (
              <div key="loader" className="tile-row" role="row" style={style}>
                <div role="gridcell" className="muted">
                  Loading more…
                </div>
              </div>
            );
          }
          return (
            <div
              key={virtualRow.index}
              className="tile-row"
              role="row"
              aria-rowindex={virtualRow.index + 1}
              style={style}
            >
              {items
                .slice(first, first + columns)
                .map((node, offset) => tile(node, first + offset))}
            </div>
          );
        })}
      </div>
    </div>
  );
};
