import type { JobSchedulesTable, JobsTable } from '../jobs/jobs.tables.js';

/** Every table Kysely knows about; each module declares its own in `<module>.tables.ts`. */
export interface Database {
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
}
