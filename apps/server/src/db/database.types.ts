import type { JobSchedulesTable, JobsTable } from '../jobs/jobs.tables.js';
import type {
  PersonalTokensTable,
  RefreshTokensTable,
  SecurityEventsTable,
  SessionsTable,
  UsedLinksTable,
  UsersTable,
} from '../modules/auth/auth.tables.js';

/** Every table Kysely knows about; each module declares its own in `<module>.tables.ts`. */
export interface Database {
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  personal_tokens: PersonalTokensTable;
  used_links: UsedLinksTable;
  security_events: SecurityEventsTable;
}
