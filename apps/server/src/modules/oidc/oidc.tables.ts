import type { ColumnType } from 'kysely';

/** A provider account (issuer + subject) that signs in as one of ours. */
export interface OidcIdentitiesTable {
  id: string;
  user_id: string;
  /** The provider id in this deployment's configuration, for display. */
  provider: string;
  issuer: string;
  subject: string;
  /** As the provider last reported it; informative only, never used to find an account. */
  email: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  last_used_at: ColumnType<Date, Date | undefined, Date>;
}
