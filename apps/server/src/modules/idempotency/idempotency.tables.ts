import type { ColumnType, Generated } from 'kysely';

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  target: string;
  body_digest: string | null;
  status: number | null;
  response: ColumnType<unknown, string | null, string | null>;
  created_at: Generated<Date>;
}
