import type { ColumnType, Generated, Selectable } from 'kysely';

export type StorageState = 'hot' | 'archiving' | 'archived' | 'restoring';

/** Null: no thumbnail will be made for this content. */
export type ThumbnailState = 'pending' | 'ready' | 'failed' | null;

type Timestamp = ColumnType<Date, Date, Date>;

export interface NodesTable {
  id: string;
  owner_id: string;
  parent_id: string | null;
  is_root: Generated<boolean>;
  is_folder: boolean;
  name: string;
  name_key: string;
  sort_key: string;
  size: Generated<number>;
  content_type: string;
  sha256: string | null;
  blob_key: string | null;
  storage_state: Generated<StorageState>;
  /** Why the last restore of this folder failed; cleared when a new one starts. */
  archive_error: ColumnType<string | null, string | null | undefined, string | null>;
  restore_requested_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  thumbnail_state: ColumnType<ThumbnailState, ThumbnailState | undefined, ThumbnailState>;
  created_at: Timestamp;
  updated_at: Timestamp;
  trashed_at: Date | null;
  trash_batch_id: string | null;
  is_trash_root: Generated<boolean>;
  trash_path: ColumnType<string[] | null, string | null, string | null>;
}

export type NodeRow = Selectable<NodesTable>;

export interface StorageUsageTable {
  user_id: string;
  quota_bytes: number;
  used_bytes: Generated<number>;
  file_count: Generated<number>;
  /** Declared lengths of unfinished resumable uploads, held against the quota until they end. */
  reserved_bytes: Generated<number>;
  reserved_uploads: Generated<number>;
}

export interface TusUploadsTable {
  id: string;
  owner_id: string;
  /** Whose quota holds this upload's reservation: the folder's owner. */
  quota_user_id: string;
  folder_id: string;
  name: string;
  size: number;
  on_conflict: string;
  /** The creation's `If-Match`, checked again when the upload completes. */
  if_match: string | null;
  file_id: string | null;
  created_at: Generated<Date>;
  completed_at: Date | null;
}
