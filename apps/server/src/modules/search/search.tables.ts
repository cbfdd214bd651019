import type { ColumnType, Generated } from 'kysely';

/** Text extracted from a file's content (bounded), for full-text search and snippets. */
export interface NodeTextsTable {
  node_id: string;
  owner_id: string;
  /** The content the text came from: a replaced file is extracted again. */
  blob_key: string;
  body: string;
  tsv: ColumnType<string, string, string>;
  truncated: Generated<boolean>;
  indexed_at: Generated<Date>;
}
