import type { NodeDto } from '@myfile/contract';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useState } from 'react';
import { formatBytes } from '../api/format.js';
import { useTranslation } from '../i18n/i18n.js';
import { NodeIcon } from './node-icon.js';
import { RenameInput } from './rename-input.js';
import { StorageBadge } from './storage-badge.js';
import './file-tiles.css';
import type { FileTableProps } from './file-table.js';
import { useEntryDrag, useEntryKeys, useEntryPointer } from './entry-input.js';
import { EntryStar } from './entry-star.js';

/** A tile's box (app.css .file-tile), gap included. */
export const TILE_WIDTH = 168;
export const TILE_HEIGHT = 208;
/** How close to the end of what is loaded (in rows of tiles) the next page is asked for. */
const PREFETCH_ROWS = 8;

const translateY = (pixels: number) => `translateY(${pixels}px)`;

/** The list's props but its columns. */
type Props = Omit<FileTableProps, 'sort' | 'order' | 'onSort'>;

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
 * only the rows on screen in the DOM, the same keys, selection, dragging and stars as the list
 * (← → move by one, ↑ ↓ by a row).
 */
export const FileTiles = (props: Props) => {
  const { t } = useTranslation();
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

  const openMenuAtTile = () => {
    if (!selection.ids.has(activeNode?.id ?? '')) props.select(active, 'only');
    const tile = scrollElement?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    const box = tile?.getBoundingClientRect();
    props.onContextMenu({ x: (box?.left ?? 0) + 24, y: (box?.bottom ?? 0) - 8 });
  };

  const onKeyDown = useEntryKeys({
    props,
    active,
    moveTo,
    openMenu: openMenuAtTile,
    steps: () => {
      const visibleRows = Math.max(
        1,
        Math.floor((scrollElement?.clientHeight ?? 480) / TILE_HEIGHT),
      );
      const page = columns * visibleRows;
      return {
        ArrowRight: 1,
        ArrowLeft: -1,
        ArrowDown: columns,
        ArrowUp: -columns,
        PageDown: page,
        PageUp: -page,
      };
    },
  });

  const pointer = useEntryPointer(props);
  const { dropTargetId, dragProps } = useEntryDrag(props);

  const tile = (node: NodeDto, index: number) => {
    const selected = selection.ids.has(node.id);
    return (
      <div
        key={node.id}
        id={`tile-${node.id}`}
        role="gridcell"
        aria-selected={selected}
        data-index={index}
        className={`file-tile${selected ? ' selected' : ''}${index === active ? ' active' : ''}${dropTargetId === node.id ? ' drop-target' : ''}`}
        {...dragProps(node, index)}
        {...pointer(index, node)}
        onDoubleClick={() => !props.selectionMode && props.onOpen(node)}
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
          {node.kind === 'folder' ? t('files.kind.folder') : formatBytes(node.size)}
          <StorageBadge node={node} />
          {node.shared && <span className="badge badge-shared">{t('files.shared')}</span>}
          <EntryStar node={node} starredIds={props.starredIds} />
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
          const style = { transform: translateY(virtualRow.start), height: TILE_HEIGHT };
          if (first >= items.length) {
            return (
              <div key="loader" className="tile-row" role="row" style={style}>
                <div role="gridcell" className="muted">
                  {t('files.loadingMore')}
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
