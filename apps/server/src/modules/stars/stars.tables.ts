import type { Generated } from 'kysely';

export interface StarsTable {
  user_id: string;
  node_id: string;
  created_at: Generated<Date>;
}
