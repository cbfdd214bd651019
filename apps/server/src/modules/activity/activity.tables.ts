import type { ColumnType, Generated } from 'kysely';

/** Written by the database's triggers (migration 0023), read here. */
export interface NodeActivityTable {
  id: Generated<string>;
  seq: Generated<string>;
  node_id: string;
  actor_user_id: string | null;
  kind: string;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Generated<Date>;
}
