/**
 * A plain in-memory model of one user's folders, files, trash and usage: what the API should
 * answer, written as simply as possible (ASCII names only), for the model-based test to hold
 * the real server against.
 */

export type StorageState = 'hot' | 'archived';

export type ModelNode = {
  id: string;
  name: string;
  parentId: string | null;
  isFolder: boolean;
  size: number;
  sha256: string | null;
  state: StorageState;
  /** The id of the trash item this node went to the trash with; null while live. */
  trashedWith: string | null;
  /** For a trash item: the names of its folders (below the root) when it was trashed. */
  trashPath: string[] | null;
};

/** What a request should answer: success, or an error status and code. */
export type Outcome = { ok: true } | { ok: false; status: number; code: string };

const ok: Outcome = { ok: true };
const error = (status: number, code: string): Outcome => ({ ok: false, status, code });
export const folderArchived = error(409, 'folder_archived');
const nameConflict = error(409, 'name_conflict');

export const withCopySuffix = (name: string, n: number) => {
  const dot = name.lastIndexOf('.');
  const hasExtension = dot > 0 && dot < name.length - 1;
  return hasExtension ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
};

export class FolderModel {
  readonly nodes = new Map<string, ModelNode>();
  /** Bytes of each file's earlier versions: a replace keeps the old content, a purge drops it. */
  readonly versionBytes = new Map<string, number>();

  constructor(readonly rootId: string) {
    this.nodes.set(rootId, {
      id: rootId,
      name: '',
      parentId: null,
      isFolder: true,
      size: 0,
      sha256: null,
      state: 'hot',
      trashedWith: null,
      trashPath: null,
    });
  }

  get(id: string): ModelNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`The model has no node ${id}.`);
    return node;
  }

  live(): ModelNode[] {
    return [...this.nodes.values()].filter((node) => node.trashedWith === null);
  }

  liveFolders(): ModelNode[] {
    return this.live().filter((node) => node.isFolder);
  }

  liveNonRoot(): ModelNode[] {
    return this.live().filter((node) => node.id !== this.rootId);
  }

  liveFiles(): ModelNode[] {
    return this.live().filter((node) => !node.isFolder);
  }

  trashItems(): ModelNode[] {
    return [...this.nodes.values()].filter((node) => node.trashedWith === node.id);
  }

  children(folderId: string): ModelNode[] {
    return this.live().filter((node) => node.parentId === folderId);
  }

  /** Names are unique among live siblings, compared without case. */
  sibling(parentId: string, name: string): ModelNode | undefined {
    const key = name.toLowerCase();
    return this.children(parentId).find((node) => node.name.toLowerCase() === key);
  }

  freeName(parentId: string, name: string): string {
    if (!this.sibling(parentId, name)) return name;
    for (let n = 1; ; n++) {
      const candidate = withCopySuffix(name, n);
      if (!this.sibling(parentId, candidate)) return candidate;
    }
  }

  /** The live node and everything live below it. */
  subtree(id: string): ModelNode[] {
    const found = [this.get(id)];
    for (let i = 0; i < found.length; i++) {
      const current = found[i];
      if (current?.isFolder) found.push(...this.children(current.id));
    }
    return found;
  }

  isSameOrBelow(folderId: string, candidateId: string): boolean {
    for (let at: string | null = candidateId; at; at = this.get(at).parentId) {
      if (at === folderId) return true;
    }
    return false;
  }

  /** Names of the folders between the root and the node, top down. */
  pathOf(id: string): string[] {
    const names: string[] = [];
    for (let at = this.get(id).parentId; at && at !== this.rootId; at = this.get(at).parentId) {
      names.unshift(this.get(at).name);
    }
    return names;
  }

  usage() {
    const files = [...this.nodes.values()].filter((node) => !node.isFolder);
    const sum = (list: ModelNode[]) => list.reduce((total, node) => total + node.size, 0);
    const versions = [...this.versionBytes.values()].reduce((total, bytes) => total + bytes, 0);
    return {
      usedBytes: sum(files) + versions,
      fileCount: files.length,
      trashBytes: sum(files.filter((node) => node.trashedWith !== null)),
    };
  }

  // Each operation: `expect…` says what the API should answer; the matching change is applied
  // by the caller only when that is success.

  expectCreateFolder(parentId: string, name: string): Outcome {
    if (this.get(parentId).state !== 'hot') return folderArchived;
    return this.sibling(parentId, name) ? nameConflict : ok;
  }

  expectUpload(parentId: string, name: string, mode: 'rename' | 'fail' | 'replace'): Outcome {
    if (this.get(parentId).state !== 'hot') return folderArchived;
    const existing = this.sibling(parentId, name);
    if (mode === 'fail' && existing) return nameConflict;
    if (mode === 'replace' && existing?.isFolder) return nameConflict;
    return ok;
  }

  expectRenameOrMove(id: string, { name, parentId }: { name: string; parentId: string }) {
    const node = this.get(id);
    if (node.state !== 'hot' || this.get(parentId).state !== 'hot') return folderArchived;
    if (parentId !== node.parentId && node.isFolder && this.isSameOrBelow(node.id, parentId))
      return error(409, 'conflict');
    const clash = this.sibling(parentId, name);
    return clash && clash.id !== id ? nameConflict : ok;
  }

  expectCopy(id: string, targetId: string): Outcome {
    if (this.get(id).state !== 'hot') return error(409, 'file_archived');
    return this.get(targetId).state !== 'hot' ? folderArchived : ok;
  }

  expectTrash(id: string, recursive: boolean): Outcome {
    const node = this.get(id);
    if (node.isFolder && !recursive && this.children(id).length > 0)
      return error(409, 'folder_not_empty');
    return this.subtree(id).some((below) => below.state !== 'hot') ? folderArchived : ok;
  }

  trash(id: string) {
    const path = this.pathOf(id);
    for (const node of this.subtree(id)) node.trashedWith = id;
    this.get(id).trashPath = path;
  }

  /**
   * Where a trash item goes back: its folder if that is live, else its remembered path from the
   * root, each missing folder made again (under a free name if a file holds the name). Nothing
   * may be written inside an archived folder.
   */
  restoreTarget(id: string): { outcome: Outcome; parentId?: string; toCreate: string[] } {
    const item = this.get(id);
    const parent = item.parentId ? this.nodes.get(item.parentId) : undefined;
    if (parent && parent.trashedWith === null) {
      return parent.state === 'hot'
        ? { outcome: ok, parentId: parent.id, toCreate: [] }
        : { outcome: folderArchived, toCreate: [] };
    }
    let at = this.rootId;
    const path = item.trashPath ?? [];
    for (const [depth, name] of path.entries()) {
      const existing = this.sibling(at, name);
      if (!existing?.isFolder) return { outcome: ok, parentId: at, toCreate: path.slice(depth) };
      if (existing.state !== 'hot') return { outcome: folderArchived, toCreate: [] };
      at = existing.id;
    }
    return { outcome: ok, parentId: at, toCreate: [] };
  }

  untrash(id: string, parentId: string, name: string) {
    for (const node of this.nodes.values()) if (node.trashedWith === id) node.trashedWith = null;
    const item = this.get(id);
    item.parentId = parentId;
    item.name = name;
    item.trashPath = null;
  }

  purge(id: string) {
    const gone = [...this.nodes.values()].filter((node) => node.trashedWith === id);
    for (const node of gone) {
      this.nodes.delete(node.id);
      this.versionBytes.delete(node.id);
    }
    // An item trashed earlier inside a purged folder stays in the trash, its folder forgotten.
    for (const node of this.nodes.values()) {
      if (node.parentId && !this.nodes.has(node.parentId)) node.parentId = null;
    }
  }

  expectArchive(id: string): Outcome {
    return this.subtree(id).some((node) => node.state !== 'hot') ? folderArchived : ok;
  }

  /** The folder a restore request brings back: the topmost archived one it sits in. */
  archivedTop(id: string): string | undefined {
    if (this.get(id).state !== 'archived') return undefined;
    let top = id;
    for (let at = this.get(id).parentId; at; at = this.get(at).parentId) {
      if (this.get(at).state !== 'archived') break;
      top = at;
    }
    return top;
  }

  setSubtreeState(id: string, state: StorageState) {
    for (const node of this.subtree(id)) node.state = state;
  }
}
