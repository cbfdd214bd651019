import type { ArchiveStorage } from '../../archive-storage/archive-storage.types.js';

/**
 * ARCHIVE_RESTORE_POLL_SECONDS, else a default for the cold tier: a Glacier restore takes
 * hours, so looking every few seconds would only cost HeadObject requests; the disk tier is
 * readable at once and never waits.
 */
export const restorePollSecondsOf = ({
  configured,
  coldDriver,
}: {
  configured: number | undefined;
  coldDriver: ArchiveStorage['driverName'];
}) => configured ?? (coldDriver === 's3' ? 300 : 5);

/** What the web app words archive and restore by: the cold tier's kind and its restore time. */
export const archiveTierOf = (coldDriver: ArchiveStorage['driverName']) =>
  coldDriver === 's3'
    ? { cold: 's3' as const, restore: 'hours' as const }
    : { cold: 'disk' as const, restore: 'immediate' as const };
