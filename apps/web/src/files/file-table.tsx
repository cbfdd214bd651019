import type { ChildSort, NodeDto, SortOrder } from '@myfile/contract';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { formatBytes, formatDate } from '../api/format.js';
import { useTranslation } from '../i18n/i18n.js';
import { humanKind } from './kinds.js';
import { NodeIcon } from './node-icon.js';
import { RenameInput } from './rename-input.js';
import { StorageBadge } from './storage-badge.js';
import type { Selection } from './use-selection.js';
import { useEntryDrag, useEntryKeys, useEntryPointer, type RowDrag } from './entry-input.js';
import { EntryStar } from './entry-star.js';

export const ROW_HEIGHT = 48;
/** The sticky header row's height (app.css .file-head), above the first row. */
const HEAD_HEIGHT = 40;
/** How close to the end of what is loaded the next page is asked for. */
const PREFETCH_ROWS = 40;

export type FileTableProps = {
  label: string;
  items: NodeDto[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage(): void;
  sort: ChildSort;
  order: SortOrder;
  onSort(sort: ChildSort): void;
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
  /** Backspace or Alt+↑: the parent folder, when there is one. */
  onGoUp?(): void;
  /** Take the keyboard focus when first shown (a folder opened with Enter). */
  autoFocus?: boolean;
  /** Selection mode (a phone's "Select" toggle): a tap or click adds or removes the row. */
  selectionMode?: boolean;
  /** Rows can be dragged (onto a folder row or a breadcrumb) to move them: not when read-only. */
  drag?: RowDrag | undefined;
  /** The rows I starred: each row gets a star toggle once this is known. */
  starredIds?: ReadonlySet<string> | undefined;
};

// Signs, the same in every language: a folder's empty size and the row's menu button.
const NO_SIZE = '—';
const MENU_GLYPH = '⋮';
const SORT_ARROW = { asc: '▲', desc: '▼' };

const translateY = (pixels: number) => `translateY(${pixels}px)`;

const columns = [
  { sort: 'name', label: 'name', className: 'col-name' },
  { sort: 'size', label: 'size', className: 'col-size' },
  { sort: 'updatedAt', label: 'modified', className: 'col-modified' },
  { sort: 'type', label: 'type', className: 'col-type' },
] as const satisfies readonly { sort: ChildSort; label: string; className: string }[];

/** A folder's entries as an ARIA grid; only the rows on screen exist in the DOM. */
export const FileTable = (props: FileTableProps) => {
  const { t } = useTranslation();
  const { items, hasNextPage, isFetchingNextPage, fetchNextPage, selection } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = items.length + (hasNextPage ? 1 : 0);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // The grid itself scrolls (so it is the focusable scrolling region) under a sticky header.
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastVisible = virtualRows.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastVisible >= items.length - PREFETCH_ROWS) {
      fetchNextPage();
    }
  }, [hasNextPage, isFetchingNextPage, lastVisible, items.length, fetchNextPage]);

  const active = Math.min(selection.active, Math.max(items.length - 1, 0));
  const activeNode = items[active];
  // Whoever moved the active row (keys, an item opened from search), it stays in view.
  useEffect(() => {
    virtualizer.scrollToIndex(active, { align: 'auto' });
  }, [virtualizer, active]);

  const moveTo = (index: number, extend: boolean) => {
    const target = Math.max(0, Math.min(index, items.length - 1));
    if (extend) props.select(target, 'extend');
    else props.focus(target);
    virtualizer.scrollToIndex(target, { align: 'auto' });
  };

  const { autoFocus } = props;
  useEffect(() => {
    if (autoFocus) scrollRef.current?.focus();
  }, [autoFocus]);

  const openMenuAtRow = () => {
    if (!selection.ids.has(activeNode?.id ?? '')) props.select(active, 'only');
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    const box = row?.getBoundingClientRect();
    props.onContextMenu({ x: (box?.left ?? 0) + 24, y: (box?.bottom ?? 0) - 8 });
  };

  const onKeyDown = useEntryKeys({
    props,
    active,
    moveTo,
    openMenu: openMenuAtRow,
    steps: () => {
      const page = Math.max(
        1,
        Math.floor((scrollRef.current?.clientHeight ?? 480) / ROW_HEIGHT) - 1,
      );
      return { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    },
  });

  const { dropTargetId, dragProps } = useEntryDrag(props);
  const pointer = useEntryPointer(props);

  return (
    <div
      ref={scrollRef}
      className="file-grid"
      data-testid="file-scroll"
      role="grid"
      aria-label={props.label}
      aria-rowcount={hasNextPage ? -1 : items.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={activeNode ? `row-${activeNode.id}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="file-row file-head" role="row" aria-rowindex={1}>
        {columns.map((column) => (
          <div
            key={column.sort}
            role="columnheader"
            className={column.className}
            aria-sort={
              props.sort === column.sort
                ? props.order === 'asc'
                  ? 'ascending'
                  : 'descending'
                : 'none'
            }
          >
            <button type="button" className="sort-button" onClick={() => props.onSort(column.sort)}>
              {t(`files.columns.${column.label}`)}
              <span aria-hidden="true" className="sort-arrow">
                {props.sort === column.sort ? SORT_ARROW[props.order] : ''}
              </span>
            </button>
          </div>
        ))}
        <div role="columnheader" className="col-actions" aria-label={t('files.actions')} />
      </div>
      <div className="file-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualRows.map((virtualRow) => {
          const node = items[virtualRow.index];
          const style = {
            transform: translateY(virtualRow.start - HEAD_HEIGHT),
            height: ROW_HEIGHT,
          };
          if (!node) {
            return (
              <div
                key="loader"
                className="file-row file-loader"
                role="row"
                data-index={virtualRow.index}
                style={style}
              >
                <div role="gridcell" className="muted">
                  {t('files.loadingMore')}
                </div>
              </div>
            );
          }
          const selected = selection.ids.has(node.id);
          const isActive = virtualRow.index === active;
          return (
            <div
              key={node.id}
              id={`row-${node.id}`}
              role="row"
              aria-rowindex={virtualRow.index + 2}
              aria-selected={selected}
              data-index={virtualRow.index}
              className={`file-row${selected ? ' selected' : ''}${isActive ? ' active' : ''}${dropTargetId === node.id ? ' drop-target' : ''}`}
              style={style}
              {...dragProps(node, virtualRow.index)}
              {...pointer(virtualRow.index, node)}
              onDoubleClick={() => !props.selectionMode && props.onOpen(node)}
            >
              <div role="gridcell" className="col-name">
                <NodeIcon node={node} />
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
                <StorageBadge node={node} />
                {node.shared && <span className="badge badge-shared">{t('files.shared')}</span>}
              </div>
              <div role="gridcell" className="col-size">
                {node.kind === 'folder' ? NO_SIZE : formatBytes(node.size)}
              </div>
              <div role="gridcell" className="col-modified">
                {formatDate(node.updatedAt)}
              </div>
              <div role="gridcell" className="col-type">
                {humanKind(node)}
              </div>
              <div role="gridcell" className="col-actions">
                <EntryStar node={node} starredIds={props.starredIds} />
                {/* A tap target for the menu where there is no right click (phones). */}
                <button
                  type="button"
                  className="icon-button row-actions"
                  tabIndex={-1}
                  aria-label={t('files.actionsFor', { name: node.name })}
                  onClick={(event) => {
                    event.stopPropagation();
                    if (!selection.ids.has(node.id)) props.select(virtualRow.index, 'only');
                    const box = event.currentTarget.getBoundingClientRect();
                    props.onContextMenu({ x: Math.max(8, box.left - 160), y: box.bottom });
                  }}
                  onDoubleClick={(event) => event.stopPropagation()}
                >
                  {MENU_GLYPH}
                </button>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
};
