import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  email_verified_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  password_changed_at: Timestamp;
  /** `admin`: the instance's first account (and whoever the migration made one). */
  role: ColumnType<UserRole, UserRole | undefined, UserRole>;
  /** Set by an administrator: no sign-in of any kind, no session, no token. */
  disabled_at: Date | null;
  /** The owner deleted the account: its data is being removed by a job, then the row. */
  deleted_at: Date | null;
}

export type UserRole = 'user' | 'admin';

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
  ip: string | null;
  user_agent: string | null;
  device: Generated<string>;
  /** The last time this session's owner re-proved presence (password, code or passkey). */
  reauthenticated_at: Date | null;
}

export interface RefreshTokensTable {
  id: string;
  session_id: string;
  token_hash: string;
  created_at: CreatedAt;
  rotated_at: Date | null;
}

export interface PersonalTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  scopes: string[];
  created_at: CreatedAt;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface UsedLinksTable {
  jti: string;
  purpose: string;
  used_at: CreatedAt;
  expires_at: Date;
}

export interface SecurityEventsTable {
  id: string;
  user_id: string;
  type: string;
  session_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  created_at: CreatedAt;
}

export type PersonalTokenRow = Selectable<PersonalTokensTable>;
