import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ThumbnailState } from '../nodes/nodes.tables.js';

export type FolderCopyConflict = 'rename' | 'fail';

export interface FolderCopiesTable {
  job_id: string;
  requester_id: string;
  quota_user_id: string;
  target_folder_id: string;
  on_conflict: FolderCopyConflict;
  bytes: number;
  files: number;
  created_at: Generated<Date>;
}

export interface FolderCopyItemsTable {
  job_id: string;
  source_id: string;
  new_id: string;
  source_parent_id: string | null;
  depth: number;
  is_folder: boolean;
  name: string;
  name_key: string;
  sort_key: string;
  size: number;
  content_type: string;
  sha256: string | null;
  source_blob_key: string | null;
  new_blob_key: string | null;
  thumbnail_state: ColumnType<ThumbnailState, ThumbnailState | undefined, ThumbnailState>;
  copied: Generated<boolean>;
}

export type FolderCopyRow = Selectable<FolderCopiesTable>;
