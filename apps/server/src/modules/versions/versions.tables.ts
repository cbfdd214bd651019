import type { ColumnType, Selectable } from 'kysely';

export interface FileVersionsTable {
  id: string;
  node_id: string;
  owner_id: string;
  blob_key: string;
  size: number;
  sha256: string;
  content_type: string;
  modified_at: ColumnType<Date, Date, never>;
  created_at: ColumnType<Date, Date, never>;
  created_by: string | null;
}

export type FileVersionRow = Selectable<FileVersionsTable>;
