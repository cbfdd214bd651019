import type { Catalog } from '../en.js';

export const archiveDe: Pick<Catalog, 'archive' | 'live'> = {
  archive: {
    status: 'Archivstatus',
    archiving:
      '<strong>Wird archiviert…</strong> Die Dateien werden in den Kaltspeicher verschoben.',
    readOnlyUntilRestored:
      'Dieser Ordner ist schreibgeschützt, bis er archiviert und wiederhergestellt ist.',
    archiveProgress: 'Fortschritt der Archivierung',
    restoring: 'Wird wiederhergestellt…',
    backFromDisk:
      'Die Dateien kommen von der Festplatte dieses Servers zurück; das dauert Sekunden bis Minuten.',
    backFromCold:
      'Die Dateien kommen aus dem Kaltspeicher zurück; aus S3 Glacier kann das Stunden dauern.',
    readOnlyUntilBack:
      'Dieser Ordner bleibt schreibgeschützt, bis die Wiederherstellung abgeschlossen ist.',
    restoreProgress: 'Fortschritt der Wiederherstellung',
    archived: 'Archiviert.',
    archivedReadOnly:
      'Dieser Ordner und alles darin sind schreibgeschützt, und seine Dateien lassen sich erst nach der Wiederherstellung herunterladen.',
    lastRestoreFailed: 'Die letzte Wiederherstellung ist fehlgeschlagen: {{reason}}',
    restore: 'Wiederherstellen…',
    restoreTimeDisk:
      'Archivierte Dateien bleiben auf der Festplatte dieses Servers, daher dauert eine Wiederherstellung Sekunden bis Minuten.',
    restoreTimeCold:
      'Die Wiederherstellung geht nicht sofort: Aus dem Kaltspeicher S3 Glacier kann sie mehrere Stunden dauern.',
    archiveQuestion: '„{{name}}“ archivieren?',
    archiveConfirm: 'Archivieren',
    archiveExplained:
      '„{{name}}“ und alles darin werden <strong>schreibgeschützt</strong>: Darin kann nichts hochgeladen, umbenannt, verschoben oder gelöscht werden, und die Dateien lassen sich erst nach der Wiederherstellung herunterladen. Ihre Inhalte wandern in den günstigeren Kaltspeicher.',
    restoreQuestion: '„{{name}}“ wiederherstellen?',
    restoreConfirm: 'Wiederherstellen',
    restoreFromDisk:
      'Die Dateien kommen in Sekunden bis Minuten von der Festplatte dieses Servers zurück; bis alle da sind, bleibt der Ordner schreibgeschützt.',
    restoreFromCold:
      'Die Dateien kommen aus dem Kaltspeicher zurück; bis alle da sind, bleibt der Ordner schreibgeschützt. Eine Wiederherstellung aus S3 Glacier kann Stunden dauern: Sie erhalten hier einen Hinweis und eine E-Mail, sobald sie fertig ist.',
    speed: 'Geschwindigkeit',
    tiers: {
      expedited: 'Beschleunigt',
      expeditedHint: 'Minuten bei S3 Glacier; am teuersten.',
      standard: 'Normal',
      standardHint: 'Einige Stunden bei S3 (3–5 h, bis zu 12 h bei Deep Archive).',
      bulk: 'Sammelabruf',
      bulkHint: 'Am günstigsten; 5–12 Stunden bei S3, bis zu 48 h bei Deep Archive.',
    },
    waitingToStart: 'Wartet auf den Start…',
    starting: 'Startet…',
    filesOf_one: '{{done, number}} von {{count, number}} Datei',
    filesOf_other: '{{done, number}} von {{count, number}} Dateien',
    bytesOf: '{{done}} von {{total}}',
    waitingForCold: '{{count, number}} warten auf den Kaltspeicher',
  },
  live: {
    live: 'Live',
    connecting: 'Verbinde…',
    offline: 'Offline: Verbindung wird wiederhergestellt…',
    updates: 'Live-Aktualisierung: {{status}}',
    folderArchived: 'Ordner „{{name}}“ archiviert.',
    folderRestored: 'Ordner „{{name}}“ wiederhergestellt.',
    open: 'Öffnen',
    noReason: 'kein Grund angegeben.',
    restoreFailed: 'Die Wiederherstellung von „{{name}}“ ist fehlgeschlagen: {{reason}}',
    archiveFailed:
      'Die Archivierung von „{{name}}“ ist fehlgeschlagen: {{reason}} Die Dateien werden zurückgeholt.',
  },
};
