import type { JobSchedulesTable, JobsTable } from '../jobs/jobs.tables.js';
import type {
  NodesTable,
  StorageUsageTable,
  TusUploadsTable,
} from '../modules/nodes/nodes.tables.js';

/** Every table Kysely knows about; each module declares its own in `<module>.tables.ts`. */
export interface Database {
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
  nodes: NodesTable;
  storage_usage: StorageUsageTable;
  tus_uploads: TusUploadsTable;
}
