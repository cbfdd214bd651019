import type { ColumnType, Selectable } from 'kysely';

export interface DavPropertiesTable {
  node_id: string;
  namespace: string;
  name: string;
  /** The property's whole element, self-contained (it declares its own namespaces). */
  xml: string;
}

export type DavLockScope = 'exclusive' | 'shared';
export type DavLockDepth = '0' | 'infinity';

export interface DavLocksTable {
  /** The lock token a client submits (`opaquelocktoken:<uuid>`). */
  token: string;
  /** The lock root: the resource the LOCK named. */
  node_id: string;
  /** Whose tree the node is in. */
  owner_id: string;
  /** Who took the lock; only they can use its token. */
  user_id: string;
  scope: DavLockScope;
  depth: DavLockDepth;
  /** The client's `<D:owner>` content, as XML, echoed back in lockdiscovery. */
  owner_xml: string;
  timeout_seconds: number;
  expires_at: Date;
  created_at: ColumnType<Date, never, never>;
}

export type DavLockRow = Selectable<DavLocksTable>;
