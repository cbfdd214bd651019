import type { ColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface PasskeysTable {
  id: string;
  user_id: string;
  /** The authenticator's credential id, base64url (what the browser sends as `id`). */
  credential_id: string;
  /** COSE public key as registered. */
  public_key: ColumnType<Uint8Array, Uint8Array, never>;
  /** bigint: the driver answers a string. */
  counter: ColumnType<string, number, number>;
  transports: ColumnType<string[], string[] | undefined, never>;
  name: string;
  backed_up: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  last_used_at: Date | null;
}
