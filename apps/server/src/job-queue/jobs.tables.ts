import type { ColumnType, Generated, Selectable } from 'kysely';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface JobsTable {
  id: string;
  name: string;
  payload: ColumnType<unknown, string, string>;
  owner_id: string | null;
  status: Generated<JobStatus>;
  priority: Generated<number>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  /** Runs whose worker vanished mid-way (lease expired); not counted as attempts. */
  lost_runs: Generated<number>;
  run_at: Timestamp;
  locked_by: string | null;
  locked_until: Date | null;
  singleton_key: string | null;
  progress: ColumnType<unknown, string | null, string | null>;
  result: ColumnType<unknown, string | null, string | null>;
  last_error: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface JobSchedulesTable {
  name: string;
  job_name: string;
  payload: ColumnType<unknown, string, string>;
  interval_seconds: number;
  max_attempts: Generated<number>;
  next_run_at: Timestamp;
}

export type JobRow = Selectable<JobsTable>;
