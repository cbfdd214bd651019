import type { ColumnType, Selectable } from 'kysely';
import type { ShareRole } from './access.models.js';

type Timestamp = ColumnType<Date, Date, Date>;

export interface SharesTable {
  id: string;
  node_id: string;
  owner_id: string;
  /** Null until the invited address has a verified account. */
  grantee_id: string | null;
  grantee_email: string;
  role: ShareRole;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ShareRow = Selectable<SharesTable>;
