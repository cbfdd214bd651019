import type { ChildSort, FolderWithBreadcrumb, NodeDto, SortOrder } from '@myfile/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type ComponentProps,
  type DragEvent,
} from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { errorMessage } from '../api/api-error.js';
import { ArchiveBanner } from '../archive/archive-banner.js';
import { fetchArchiveTier } from '../archive/archive-api.js';
import { ArchiveDialog, RestoreDialog } from '../archive/archive-dialogs.js';
import { DetailsPane } from '../details/details-pane.js';
import { PreviewDialog } from '../preview/preview-dialog.js';
import { RoleBanner } from '../sharing/role-banner.js';
import { ShareDialog } from '../sharing/share-dialog.js';
import { canManage, canWrite } from '../sharing/roles.js';
import { filesFromDrop, filesFromInput } from '../uploads/dropped-files.js';
import { useUploads } from '../uploads/uploads-context.js';
import { openWithSession, SessionLink } from '../ui/session-link.js';
import { useToasts } from '../ui/toasts.js';
import { useTitle } from '../ui/use-title.js';
import { useTranslation } from '../i18n/i18n.js';
import { Breadcrumbs, folderUrl, isMyRoot } from './breadcrumbs.js';
import { ClashDialog } from './clash-dialog.js';
import { ContextMenu, type MenuItem } from './context-menu.js';
import { contentUrl, fetchFolder, folderZipUrl } from './files-api.js';
import { FileTable } from './file-table.js';
import { isRowDrag, type RowDrag } from './entry-input.js';
import { FileTiles } from './file-tiles.js';
import { MoveDialog } from './move-dialog.js';
import { NewFolderDialog } from './new-folder-dialog.js';
import { readSortPreference, saveSortPreference } from './sort-preference.js';
import { readViewPreference, saveViewPreference, type FolderView } from './view-preference.js';
import { isTypingTarget, ShortcutsDialog } from './shortcuts-dialog.js';
import { useFolderChildren } from './use-folder-children.js';
import { useNodeActions } from './use-node-actions.js';
import { useSelection } from './use-selection.js';
import { fetchStarredIn, starredInQueryKey } from '../stars/stars-api.js';

type Dialog =
  | { kind: 'new-folder' }
  | { kind: 'move'; nodes: NodeDto[] }
  | { kind: 'copy'; nodes: NodeDto[] }
  | { kind: 'preview'; file: NodeDto }
  | { kind: 'shortcuts' }
  | { kind: 'share'; node: Pick<NodeDto, 'id' | 'name' | 'kind'> }
  | { kind: 'archive' | 'restore'; folder: Pick<NodeDto, 'id' | 'name'> };

export const FolderPage = () => {
  const folderId = useParams().folderId ?? 'root';
  return <FolderView key={folderId} folderId={folderId} />;
};

const FolderView = ({ folderId }: { folderId: string }) => {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [{ sort, order }, setSorting] = useState(readSortPreference);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [view, setView] = useState(() => readViewPreference(folderId));
  const chooseView = (next: FolderView) => {
    setView(next);
    saveViewPreference(folderId, next);
  };
  const [clash, setClash] = useState<{
    nodes: NodeDto[];
    targetId: string;
    targetName: string;
  } | null>(null);
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const readOnlyReasonId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const gridFocus = () => document.querySelector<HTMLElement>('.file-grid')?.focus();

  const folder = useQuery({ queryKey: ['folder', folderId], queryFn: () => fetchFolder(folderId) });
  // Asked only when archive wording shows (banner or dialog): how long a restore takes here.
  const needsTier =
    (folder.data !== undefined && folder.data.storageState !== 'hot') ||
    dialog?.kind === 'archive' ||
    dialog?.kind === 'restore';
  const coldTier = useQuery({
    queryKey: ['archive-tier'],
    queryFn: fetchArchiveTier,
    staleTime: Infinity,
    enabled: needsTier,
  }).data;
  // The role decides which controls show; the server checks every request all the same.
  const role = folder.data?.role ?? 'owner';
  const owner = canManage(role);
  const children = useFolderChildren(folderId, sort, order);
  const starredIn = useQuery({
    queryKey: starredInQueryKey(folder.data?.id ?? folderId),
    queryFn: () => fetchStarredIn(folder.data?.id ?? folderId),
    enabled: folder.data !== undefined,
    select: (data) => new Set(data.ids),
  });
  const { items } = children;
  const idAt = useCallback((index: number) => items[index]?.id, [items]);
  const { selection, select, focus, selectIds, clear } = useSelection(idAt);
  const actions = useNodeActions();
  const { upload } = useUploads();

  const selected = items.filter((node) => selection.ids.has(node.id));
  const [detailsOpen, setDetailsOpen] = useState(false);
  // On a phone there is no Ctrl or Shift: in this mode a tap adds or removes a row.
  const [selectionMode, setSelectionMode] = useState(false);
  const selectionModeButton = (
    <button
      type="button"
      className="button selection-mode"
      aria-pressed={selectionMode}
      onClick={() => {
        if (selectionMode) clear();
        setSelectionMode(!selectionMode);
      }}
    >
      {selectionMode ? t('files.done') : t('files.select')}
    </button>
  );
  useTitle(
    folder.isError
      ? t('files.folderUnavailable')
      : folder.data && (isMyRoot(folder.data) ? t('files.myFiles') : folder.data.name),
  );

  // `?open=<id>` (a search hit, a recent file): page until the item is loaded, select it
  // (the list scrolls to it) and preview it; then drop the parameter so a reload does not.
  const [params, setParams] = useSearchParams();
  const openId = params.get('open');
  const { hasNextPage, isFetchingNextPage, isPending, fetchNextPage } = children;
  useEffect(() => {
    if (!openId || isPending || isFetchingNextPage) return;
    const index = items.findIndex((node) => node.id === openId);
    const target = items[index];
    if (!target && hasNextPage) {
      void fetchNextPage();
      return;
    }
    if (target) {
      select(index, 'only');
      if (target.kind === 'file') setDialog({ kind: 'preview', file: target });
    }
    setParams(
      (current) => {
        current.delete('open');
        return current;
      },
      { replace: true },
    );
  }, [openId, items, isPending, isFetchingNextPage, hasNextPage, fetchNextPage, select, setParams]);
  // Archived, archiving or restoring: the server refuses every write inside.
  const archived = folder.data?.storageState !== undefined && folder.data.storageState !== 'hot';
  const writable = canWrite(role);
  const readOnly = archived || !writable;
  const selectionReadOnly = readOnly || selected.some((node) => node.storageState !== 'hot');
  // An archived file's content is in cold storage, so it cannot be copied either.
  const copyable = selected.length > 0 && selected.every((node) => node.storageState === 'hot');
  const currentId = folder.data?.id ?? folderId;
  const isRoot = folder.data !== undefined && isMyRoot(folder.data);
  const singleFolder =
    selected.length === 1 && selected[0]?.kind === 'folder' ? selected[0] : undefined;
  const archiveAction = (target: NodeDto | undefined) =>
    !owner
      ? undefined
      : target?.storageState === 'hot'
        ? {
            label: t('files.archive'),
            onSelect: () => setDialog({ kind: 'archive', folder: target }),
          }
        : target?.storageState === 'archived'
          ? {
              label: t('files.restore'),
              onSelect: () => setDialog({ kind: 'restore', folder: target }),
            }
          : undefined;
  const selectedArchiveAction = archiveAction(singleFolder);
  const readOnlyProps = archived
    ? { 'aria-describedby': readOnlyReasonId, title: t('files.readOnlyArchived') }
    : {};

  const onSort = (next: ChildSort) => {
    const sorting: { sort: ChildSort; order: SortOrder } =
      next === sort
        ? { sort, order: order === 'asc' ? 'desc' : 'asc' }
        : { sort: next, order: 'asc' };
    setSorting(sorting);
    saveSortPreference(sorting);
    clear();
  };

  // The next folder's list takes the focus, so the keyboard carries on where it was.
  const open = (node: NodeDto) => {
    if (node.kind === 'folder') void navigate(folderUrl(node.id), { state: { focusList: true } });
    else setDialog({ kind: 'preview', file: node });
  };
  const focusList = (useLocation().state as { focusList?: boolean } | null)?.focusList === true;
  const parentId = folder.data?.parentId;
  const goUp =
    parentId !== undefined && parentId !== null
      ? () => void navigate(folderUrl(parentId), { state: { focusList: true } })
      : undefined;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTypingTarget(event.target) || document.querySelector('dialog[open]')) return;
      if (event.key === '?') {
        event.preventDefault();
        setDialog({ kind: 'shortcuts' });
      } else if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key === 'z') {
        event.preventDefault();
        void actions.undo();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [actions]);

  /**
   * Ctrl+A means the whole folder, not the rows loaded so far: the remaining pages are
   * fetched first (one toast counting them), so the count shown is the folder's.
   */
  const selectWholeFolder = async () => {
    let pages = children.data?.pages ?? [];
    if (children.hasNextPage) {
      const toast = toasts.progress(t('files.selectingAll'));
      let result = await children.fetchNextPage();
      while (result.hasNextPage && !result.isError) {
        const loaded = result.data?.pages.reduce((sum, page) => sum + page.items.length, 0) ?? 0;
        toast.update(t('files.selectingAllSoFar', { count: loaded }));
        result = await children.fetchNextPage();
      }
      pages = result.data?.pages ?? pages;
      const ids = pages.flatMap((page) => page.items.map((node) => node.id));
      if (result.isError) toast.finish(errorMessage(result.error), 'error');
      else toast.finish(t('files.selectedAll', { count: ids.length }));
    }
    selectIds(pages.flatMap((page) => page.items.map((node) => node.id)));
  };

  /** Moves, then asks about the names already taken there (Replace / Keep both / Skip). */
  const moveInto = async (nodes: NodeDto[], targetId: string, targetName?: string) => {
    const clashes = await actions.move(nodes, targetId);
    if (clashes.length > 0) {
      const picked = queryClient.getQueryData<FolderWithBreadcrumb>(['folder', targetId]);
      setClash({
        nodes: clashes,
        targetId,
        targetName:
          targetName ?? (picked?.parentId === null ? t('files.myFiles') : (picked?.name ?? '')),
      });
    }
  };

  // The rows being dragged: the selection when the drag starts on a selected row, else that row.
  const dragged = useRef<NodeDto[]>([]);
  const dropInto = (targetId: string, targetName: string) => {
    const nodes = dragged.current.filter((node) => node.id !== targetId);
    dragged.current = [];
    if (nodes.length === 0) return;
    clear();
    void moveInto(nodes, targetId, targetName).catch(() => undefined);
  };
  const rowDrag: RowDrag | undefined = readOnly
    ? undefined
    : {
        start: (node, index) => {
          if (selection.ids.has(node.id)) {
            dragged.current = selected.filter((entry) => entry.storageState === 'hot');
          } else {
            select(index, 'only');
            dragged.current = node.storageState === 'hot' ? [node] : [];
          }
        },
        accepts: (node) =>
          node.kind === 'folder' &&
          node.storageState === 'hot' &&
          dragged.current.length > 0 &&
          !dragged.current.some((entry) => entry.id === node.id),
        drop: (node) => dropInto(node.id, node.name),
        end: () => {
          dragged.current = [];
        },
      };

  const trashSelected = () => {
    const ids = [...selection.ids];
    if (ids.length === 0) return;
    clear();
    void actions.trash(ids);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (readOnly) return;
    void filesFromDrop(event.dataTransfer).then((files) => upload(currentId, files));
  };

  const menuItems = (): MenuItem[] => {
    const single = selected.length === 1 ? selected[0] : undefined;

    const list: MenuItem[] = [];
    if (single) list.push({ label: t('files.open'), onSelect: () => open(single) });
    if (single && !selectionReadOnly)
      list.push({ label: t('files.rename'), onSelect: () => setRenamingId(single.id) });
    if (single?.kind === 'file' && single.storageState === 'hot') {
      list.push({
        label: t('files.download'),
        onSelect: () => {
          void openWithSession(contentUrl(single.id), { download: single.name });
        },
      });
    }
    if (!selectionReadOnly)
      list.push({
        label: t('files.moveEllipsis'),
        onSelect: () => setDialog({ kind: 'move', nodes: selected }),
      });
    if (copyable)
      list.push({
        label: t('files.copyEllipsis'),
        onSelect: () => setDialog({ kind: 'copy', nodes: selected }),
      });
    // Offered on what is in hot storage, as the other actions are; the toolbar shares a folder.
    if (single && owner && !selectionReadOnly)
      list.push({
        label: t('files.share'),
        onSelect: () => setDialog({ kind: 'share', node: single }),
      });
    if (selectedArchiveAction) list.push(selectedArchiveAction);
    if (!selectionReadOnly)
      list.push({ label: t('files.moveToTrash'), onSelect: trashSelected, danger: true });
    return list;
  };

  if (folder.isError) {
    return (
      <section aria-labelledby="folder-title">
        <h1 id="folder-title">{t('files.folderUnavailable')}</h1>
        <p role="alert">{errorMessage(folder.error)}</p>
        <div className="toolbar">
          <Link className="button primary" to="/">
            {t('files.backToMyFiles')}
          </Link>
          <button type="button" className="button" onClick={() => void folder.refetch()}>
            {t('common.tryAgain')}
          </button>
        </div>
      </section>
    );
  }

  const title = folder.data
    ? isMyRoot(folder.data)
      ? t('files.myFiles')
      : folder.data.name
    : t('common.loading');

  // The list and the grid show the same entries with the same keys and selection.
  const entriesProps: ComponentProps<typeof FileTiles> = {
    label: t('files.contentsOf', { name: title }),
    items,
    hasNextPage: children.hasNextPage,
    isFetchingNextPage: children.isFetchingNextPage,
    fetchNextPage: () => void children.fetchNextPage(),
    selection,
    select,
    focus,
    selectAll: () => void selectWholeFolder(),
    clearSelection: clear,
    renamingId,
    onStartRename: (node) => !readOnly && node.storageState === 'hot' && setRenamingId(node.id),
    onRename: (node, name) => {
      setRenamingId(null);
      void actions.rename(node, name);
      gridFocus();
    },
    onCancelRename: () => {
      setRenamingId(null);
    },
    onOpen: open,
    onDelete: () => !selectionReadOnly && trashSelected(),
    onContextMenu: setMenu,
    onGoUp: goUp,
    autoFocus: focusList,
  };

  return (
    <section
      className={dragging ? 'folder-page dragging' : 'folder-page'}
      aria-labelledby="folder-title"
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        // Taken even when read-only, so the browser does not open the dropped file instead.
        event.preventDefault();
        if (readOnly) event.dataTransfer.dropEffect = 'none';
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
      data-testid="drop-zone"
    >
      {folder.data
        ? !isMyRoot(folder.data) && (
            <Breadcrumbs
              folder={folder.data}
              drop={
                rowDrag && {
                  accepts: (event) => isRowDrag(event) && dragged.current.length > 0,
                  drop: (crumb) => dropInto(crumb.id, crumb.name),
                }
              }
            />
          )
        : // Holds the breadcrumb's line while the folder loads, so the rows (often loaded
          // first) do not jump down under the pointer when it arrives.
          folderId !== 'root' && (
            <div className="breadcrumbs" aria-hidden="true">
              <ol>
                <li>&nbsp;</li>
              </ol>
            </div>
          )}
      <div className="folder-heading">
        <h1 id="folder-title">{title}</h1>
      </div>
      {folder.data && !owner && <RoleBanner role={role} />}
      {folder.data && (
        <ArchiveBanner
          folder={folder.data}
          reasonId={readOnlyReasonId}
          coldTier={coldTier}
          onRestore={() => folder.data && setDialog({ kind: 'restore', folder: folder.data })}
        />
      )}
      <div className="toolbar" role="toolbar" aria-label={t('files.folderActions')}>
        {writable && (
          <>
            <button
              type="button"
              className="button"
              disabled={archived}
              {...readOnlyProps}
              onClick={() => setDialog({ kind: 'new-folder' })}
            >
              {t('files.newFolder')}
            </button>
            <button
              type="button"
              className="button primary"
              disabled={archived}
              {...readOnlyProps}
              onClick={() => fileInput.current?.click()}
            >
              {t('files.uploadFiles')}
            </button>
            <button
              type="button"
              className="button"
              disabled={archived}
              {...readOnlyProps}
              onClick={() => folderInput.current?.click()}
            >
              {t('files.uploadFolder')}
            </button>
          </>
        )}
        {folder.data && !isRoot && owner && (
          <button
            type="button"
            className="button"
            onClick={() => folder.data && setDialog({ kind: 'share', node: folder.data })}
          >
            {t('files.share')}
          </button>
        )}
        {folder.data && (
          // Anyone who can open the folder can take it whole: its owner and its sharees alike.
          <SessionLink className="button" href={folderZipUrl(currentId)} download>
            {t('files.downloadZip')}
          </SessionLink>
        )}
        {folder.data && !isRoot && owner && folder.data.storageState === 'hot' && (
          <button
            type="button"
            className="button"
            onClick={() => folder.data && setDialog({ kind: 'archive', folder: folder.data })}
          >
            {t('files.archiveFolder')}
          </button>
        )}
        <div className="view-toggle" role="group" aria-label={t('files.view')}>
          <button
            type="button"
            className="button"
            aria-pressed={view === 'list'}
            onClick={() => chooseView('list')}
          >
            {t('files.list')}
          </button>
          <button
            type="button"
            className="button"
            aria-pressed={view === 'grid'}
            onClick={() => chooseView('grid')}
          >
            {t('files.grid')}
          </button>
        </div>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label={t('files.filesToUpload')}
          onChange={(event) => {
            if (event.target.files) void upload(currentId, filesFromInput(event.target.files));
            event.target.value = '';
          }}
        />
        <input
          ref={(element) => {
            folderInput.current = element;
            element?.setAttribute('webkitdirectory', '');
          }}
          type="file"
          hidden
          aria-label={t('files.folderToUpload')}
          onChange={(event) => {
            if (event.target.files) void upload(currentId, filesFromInput(event.target.files));
            event.target.value = '';
          }}
        />
      </div>
      {items.length > 0 && (
        // A line of its own, always there while rows are: the actions appearing on the first
        // click must not push the rows down under the pointer before the second click lands.
        <div className="selection-bar" aria-live="polite">
          {selectionModeButton}
          {selected.length === 0 ? (
            <span className="muted">
              {t(children.hasNextPage ? 'files.itemsMore' : 'files.items', {
                count: items.length,
              })}
            </span>
          ) : (
            <>
              <span>{t('files.selected', { count: selected.length })}</span>
              {selected.length === 1 && (
                <button
                  type="button"
                  className="button"
                  aria-pressed={detailsOpen}
                  onClick={() => setDetailsOpen((open) => !open)}
                >
                  {t('files.details')}
                </button>
              )}
              {selected.length === 1 && !selectionReadOnly && (
                <button
                  type="button"
                  className="button"
                  onClick={() => setRenamingId(selected[0]?.id ?? null)}
                >
                  {t('files.rename')}
                </button>
              )}
              {!selectionReadOnly && (
                <button
                  type="button"
                  className="button"
                  onClick={() => setDialog({ kind: 'move', nodes: selected })}
                >
                  {t('files.move')}
                </button>
              )}
              {copyable && (
                <button
                  type="button"
                  className="button"
                  onClick={() => setDialog({ kind: 'copy', nodes: selected })}
                >
                  {t('files.copy')}
                </button>
              )}
              {selectedArchiveAction && (
                <button type="button" className="button" onClick={selectedArchiveAction.onSelect}>
                  {selectedArchiveAction.label}
                </button>
              )}
              {!selectionReadOnly && (
                <button type="button" className="button danger" onClick={trashSelected}>
                  {t('files.delete')}
                </button>
              )}
            </>
          )}
        </div>
      )}
      {children.isError ? (
        <div role="alert" className="form-alert">
          {errorMessage(children.error)}{' '}
          <button type="button" className="link-button" onClick={() => void children.refetch()}>
            {t('common.tryAgain')}
          </button>
        </div>
      ) : children.isPending ? (
        <p role="status">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <div className="empty-folder">
          <p>{t('files.empty')}</p>
          {!readOnly && <p className="muted">{t('files.emptyHint')}</p>}
        </div>
      ) : null}
      {items.length > 0 &&
        (view === 'grid' ? (
          <FileTiles
            {...entriesProps}
            drag={rowDrag}
            starredIds={starredIn.data}
            selectionMode={selectionMode}
          />
        ) : (
          <FileTable
            {...entriesProps}
            sort={sort}
            order={order}
            onSort={onSort}
            drag={rowDrag}
            starredIds={starredIn.data}
            selectionMode={selectionMode}
          />
        ))}
      {detailsOpen && selected.length === 1 && selected[0] && (
        <DetailsPane
          node={selected[0]}
          folder={folder.data}
          canEdit={writable}
          onClose={() => setDetailsOpen(false)}
        />
      )}
      {dragging && (
        <div className={readOnly ? 'drop-overlay read-only' : 'drop-overlay'} aria-hidden="true">
          {!writable
            ? t('files.dropViewOnly', { name: title })
            : archived
              ? t('files.dropArchived', { name: title })
              : t('files.dropHere', { name: title })}
        </div>
      )}
      {menu && selected.length > 0 && (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          items={menuItems()}
          onClose={() => {
            setMenu(null);
            gridFocus();
          }}
        />
      )}
      {dialog?.kind === 'new-folder' && (
        <NewFolderDialog
          onCreate={(name) => actions.createFolder(currentId, name)}
          onClose={() => setDialog(null)}
        />
      )}
      {(dialog?.kind === 'move' || dialog?.kind === 'copy') && (
        <MoveDialog
          title={
            dialog.nodes.length === 1
              ? t(dialog.kind === 'move' ? 'files.moveName' : 'files.copyName', {
                  name: dialog.nodes[0]?.name ?? '',
                })
              : t(dialog.kind === 'move' ? 'files.moveCount' : 'files.copyCount', {
                  count: dialog.nodes.length,
                })
          }
          actionLabel={dialog.kind === 'move' ? t('files.moveHere') : t('files.copyHere')}
          startFolderId={currentId}
          excludedIds={new Set(dialog.nodes.map((node) => node.id))}
          onPick={async (target) => {
            if (dialog.kind === 'move') await moveInto(dialog.nodes, target);
            else await actions.copy(dialog.nodes, target);
            clear();
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {clash && !dialog && (
        <ClashDialog
          clashes={clash.nodes}
          targetId={clash.targetId}
          targetName={clash.targetName}
          onClose={() => setClash(null)}
        />
      )}
      {dialog?.kind === 'archive' && (
        <ArchiveDialog folder={dialog.folder} coldTier={coldTier} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'restore' && (
        <RestoreDialog folder={dialog.folder} coldTier={coldTier} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'share' && (
        <ShareDialog node={dialog.node} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'shortcuts' && <ShortcutsDialog onClose={() => setDialog(null)} />}
      {dialog?.kind === 'preview' && (
        <PreviewDialog
          file={dialog.file}
          siblings={items}
          onNavigate={(file) => {
            // The row follows the preview, so closing it leaves the list where the person is.
            select(
              items.findIndex((node) => node.id === file.id),
              'only',
            );
            setDialog({ kind: 'preview', file });
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
};
