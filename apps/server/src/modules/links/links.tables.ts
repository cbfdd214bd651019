import type { ColumnType, Generated, Selectable } from 'kysely';
import type { LinkRole } from '../access/access.models.js';

type Timestamp = ColumnType<Date, Date, Date>;

export interface ShareLinksTable {
  id: string;
  node_id: string;
  owner_id: string;
  /** SHA-256 of the token: what a visitor's token is looked up by. */
  token_hash: string;
  /**
   * The token sealed with the key ring, for its owner to copy again; null for links made before
   * migration 0014 and for revoked links.
   */
  token_sealed: string | null;
  /** The key ring entry `token_sealed` is sealed under. */
  token_kid: string | null;
  role: LinkRole;
  label: Generated<string>;
  password_hash: string | null;
  expires_at: Timestamp | null;
  download_limit: number | null;
  download_count: Generated<number>;
  access_count: Generated<number>;
  last_accessed_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: Timestamp;
}

export type ShareLinkRow = Selectable<ShareLinksTable>;
