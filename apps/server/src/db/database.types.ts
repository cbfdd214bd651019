import type { JobSchedulesTable, JobsTable } from '../job-queue/jobs.tables.js';
import type {
  PersonalTokensTable,
  RefreshTokensTable,
  SecurityEventsTable,
  SessionsTable,
  UsedLinksTable,
  UsersTable,
} from '../modules/auth/auth.tables.js';
import type {
  NodesTable,
  StorageUsageTable,
  TusUploadsTable,
} from '../modules/nodes/nodes.tables.js';

import type { PasskeysTable } from '../modules/passkeys/passkeys.tables.js';
import type {
  RecoveryCodesTable,
  TotpCredentialsTable,
} from '../modules/two-factor/two-factor.tables.js';
import type { IdempotencyKeysTable } from '../modules/idempotency/idempotency.tables.js';
import type { SharesTable } from '../modules/access/access.tables.js';
import type { ShareLinksTable } from '../modules/links/links.tables.js';
import type { NodeOpensTable } from '../modules/recent/recent.tables.js';
import type { NodeTextsTable } from '../modules/search/search.tables.js';
import type { StarsTable } from '../modules/stars/stars.tables.js';
import type { NodeActivityTable } from '../modules/activity/activity.tables.js';
import type { FileVersionsTable } from '../modules/versions/versions.tables.js';
import type { OidcIdentitiesTable } from '../modules/oidc/oidc.tables.js';
import type {
  FolderCopiesTable,
  FolderCopyItemsTable,
} from '../modules/folder-copy/folder-copy.tables.js';
import type { DavLocksTable, DavPropertiesTable } from '../modules/webdav/webdav.tables.js';

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
  nodes: NodesTable;
  storage_usage: StorageUsageTable;
  tus_uploads: TusUploadsTable;
  dav_properties: DavPropertiesTable;
  dav_locks: DavLocksTable;
  shares: SharesTable;
  share_links: ShareLinksTable;
  idempotency_keys: IdempotencyKeysTable;
  stars: StarsTable;
  node_opens: NodeOpensTable;
  node_texts: NodeTextsTable;
  totp_credentials: TotpCredentialsTable;
  recovery_codes: RecoveryCodesTable;
  passkeys: PasskeysTable;
  file_versions: FileVersionsTable;
  oidc_identities: OidcIdentitiesTable;
  folder_copies: FolderCopiesTable;
  folder_copy_items: FolderCopyItemsTable;
  node_activity: NodeActivityTable;
}
