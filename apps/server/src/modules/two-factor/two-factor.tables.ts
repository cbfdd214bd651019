import type { ColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
/** bigint comes back from the driver as a string; the step always fits a JS number. */
type Step = ColumnType<string | null, number | null | undefined, number>;

export interface TotpCredentialsTable {
  user_id: string;
  /** Base32 RFC 6238 secret; the row exists unconfirmed between enrolment and the first code. */
  secret: string;
  confirmed_at: Date | null;
  /** The newest 30-second step a code was accepted for: that step and older ones are spent. */
  last_used_step: Step;
  created_at: CreatedAt;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: Date | null;
  created_at: CreatedAt;
}
