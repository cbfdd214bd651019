import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import { migration0001Jobs } from './migrations/0001_jobs.js';
import { migration0002Auth } from './migrations/0002_auth.js';
import { migration0003Files } from './migrations/0003_files.js';
import { migration0004Archive } from './migrations/0004_archive.js';
import { migration0005Thumbnails } from './migrations/0005_thumbnails.js';
import { migration0006QuotaError } from './migrations/0006_quota_error.js';
import { migration0007Shares } from './migrations/0007_shares.js';
import { migration0008JobLostRuns } from './migrations/0008_job_lost_runs.js';
import { migration0009Webdav } from './migrations/0009_webdav.js';
import { migration0010DavLocks } from './migrations/0010_dav_locks.js';
import { migration0011ShareLinks } from './migrations/0011_share_links.js';
import { migration0012UploadReservations } from './migrations/0012_upload_reservations.js';
import { migration0013IdempotencyKeys } from './migrations/0013_idempotency_keys.js';
import { migration0014ShareLinkTokens } from './migrations/0014_share_link_tokens.js';
import { migration0015TusIfMatch } from './migrations/0015_tus_if_match.js';
import { migration0016Search } from './migrations/0016_search.js';
import { migration0017TwoFactor } from './migrations/0017_two_factor.js';
import { migration0018FileVersions } from './migrations/0018_file_versions.js';
import { migration0019OidcIdentities } from './migrations/0019_oidc_identities.js';
import { migration0020Admin } from './migrations/0020_admin.js';
import { migration0021SearchKey } from './migrations/0021_search_key.js';
import { migration0022SearchIndexNoPendingList } from './migrations/0022_search_index_no_pending_list.js';
import { migration0023NodeActivity } from './migrations/0023_node_activity.js';
import { migration0024FolderCopy } from './migrations/0024_folder_copy.js';
import { migration0025ShareLinksOwner } from './migrations/0025_share_links_owner.js';

/**
 * Ordered, append-only. A migration that shipped is never edited: add the next one.
 * Names sort lexically, so keep the four-digit prefix.
 */
export const migrations: Record<string, Migration> = {
  '0001_jobs': migration0001Jobs,
  '0002_auth': migration0002Auth,
  '0003_files': migration0003Files,
  '0004_archive': migration0004Archive,
  '0005_thumbnails': migration0005Thumbnails,
  '0006_quota_error': migration0006QuotaError,
  '0007_shares': migration0007Shares,
  '0008_job_lost_runs': migration0008JobLostRuns,
  '0009_webdav': migration0009Webdav,
  '0010_dav_locks': migration0010DavLocks,
  '0011_share_links': migration0011ShareLinks,
  '0012_upload_reservations': migration0012UploadReservations,
  '0013_idempotency_keys': migration0013IdempotencyKeys,
  '0014_share_link_tokens': migration0014ShareLinkTokens,
  '0015_tus_if_match': migration0015TusIfMatch,
  '0016_search': migration0016Search,
  '0017_two_factor': migration0017TwoFactor,
  '0018_file_versions': migration0018FileVersions,
  '0019_oidc_identities': migration0019OidcIdentities,
  '0020_admin': migration0020Admin,
  '0021_search_key': migration0021SearchKey,
  '0022_search_index_no_pending_list': migration0022SearchIndexNoPendingList,
  '0023_node_activity': migration0023NodeActivity,
  '0024_folder_copy': migration0024FolderCopy,
  '0025_share_links_owner': migration0025ShareLinksOwner,
};

const providerOf = (list: Record<string, Migration>): MigrationProvider => ({
  getMigrations: async () => list,
});
const provider = providerOf(migrations);

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Applies every pending migration in one transaction; concurrent callers wait on a lock.
 * `list` is every migration unless a test (or an older template) wants fewer.
 */
export const migrateToLatest = async (db: Db, list = migrations): Promise<string[]> => {
  const migrator = new Migrator({ db, provider: providerOf(list) });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error');
    throw new MigrationError(
      `Migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : 'unknown error'}`,
      { cause: error },
    );
  }
  return results.map((result) => result.migrationName);
};

/** For processes that may not migrate: refuse to run on a schema older than this code. */
export const assertMigrated = async (db: Db) => {
  const pending = (await new Migrator({ db, provider }).getMigrations()).filter(
    (migration) => migration.executedAt === undefined,
  );
  if (pending.length > 0) {
    throw new MigrationError(
      `The database needs migrations ${pending.map((migration) => migration.name).join(', ')}; run \`myfile migrate\` first.`,
    );
  }
};
