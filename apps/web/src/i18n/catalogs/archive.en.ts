/** Archiving and restoring folders, and the live connection that brings their news. */
export const archiveEn = {
  archive: {
    status: 'Archive status',
    archiving: '<strong>Archiving…</strong> Its files are moving to cold storage.',
    readOnlyUntilRestored: 'This folder is read-only until it is archived and restored.',
    archiveProgress: 'Archive progress',
    restoring: 'Restoring…',
    backFromDisk:
      'Its files are coming back from this server’s disk; this takes seconds to minutes.',
    backFromCold:
      'Its files are coming back from cold storage; from S3 Glacier this can take hours.',
    readOnlyUntilBack: 'This folder stays read-only until the restore finishes.',
    restoreProgress: 'Restore progress',
    archived: 'Archived.',
    archivedReadOnly:
      'This folder and everything in it are read-only, and its files cannot be downloaded until it is restored.',
    lastRestoreFailed: 'The last restore failed: {{reason}}',
    restore: 'Restore…',
    restoreTimeDisk:
      'Archived files stay on this server’s disk, so a restore takes seconds to minutes.',
    restoreTimeCold:
      'Restoring is not instant: from S3 Glacier cold storage it can take several hours.',
    archiveQuestion: 'Archive “{{name}}”?',
    archiveConfirm: 'Archive',
    archiveExplained:
      '“{{name}}” and everything in it become <strong>read-only</strong>: nothing can be uploaded, renamed, moved or deleted inside, and its files cannot be downloaded until you restore it. Their contents move to cold storage, which costs less.',
    restoreQuestion: 'Restore “{{name}}”?',
    restoreConfirm: 'Restore',
    restoreFromDisk:
      'Its files come back from this server’s disk in seconds to minutes; the folder stays read-only until they all have.',
    restoreFromCold:
      'Its files come back from cold storage; the folder stays read-only until they all have. A restore from S3 Glacier can take hours: you will get a notice here and an email when it is done.',
    speed: 'Speed',
    tiers: {
      expedited: 'Expedited',
      expeditedHint: 'Minutes on S3 Glacier; costs the most.',
      standard: 'Standard',
      standardHint: 'A few hours on S3 (3–5 h, up to 12 h for Deep Archive).',
      bulk: 'Bulk',
      bulkHint: 'Cheapest; 5–12 hours on S3, up to 48 h for Deep Archive.',
    },
    waitingToStart: 'Waiting to start…',
    starting: 'Starting…',
    filesOf_one: '{{done, number}} of {{count, number}} file',
    filesOf_other: '{{done, number}} of {{count, number}} files',
    bytesOf: '{{done}} of {{total}}',
    waitingForCold: '{{count, number}} waiting for cold storage',
  },
  live: {
    live: 'Live',
    connecting: 'Connecting…',
    offline: 'Offline: reconnecting…',
    updates: 'Live updates: {{status}}',
    folderArchived: 'Folder “{{name}}” archived.',
    folderRestored: 'Folder “{{name}}” restored.',
    open: 'Open',
    noReason: 'no reason given.',
    restoreFailed: 'The restore of “{{name}}” failed: {{reason}}',
    archiveFailed: 'Archiving “{{name}}” failed: {{reason}} Its files are being brought back.',
  },
};
