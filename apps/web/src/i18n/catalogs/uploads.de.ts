import type { Catalog } from '../en.js';

export const uploadsDe: Pick<Catalog, 'uploads'> = {
  uploads: {
    waiting: 'Wartet',
    progress: '{{loaded}} von {{size}}',
    paused: 'Pausiert',
    uploaded: 'Hochgeladen',
    uploadedAs: 'Hochgeladen als „{{name}}“',
    failed: 'Fehlgeschlagen',
    cancelled: 'Abgebrochen',
    pause: 'Pausieren',
    pauseName: '{{name}} pausieren',
    resume: 'Fortsetzen',
    resumeName: '{{name}} fortsetzen',
    retry: 'Wiederholen',
    retryName: '{{name}} erneut versuchen',
    cancel: 'Abbrechen',
    cancelName: '{{name}} abbrechen',
    title: 'Uploads: {{done, number}} von {{count, number}} fertig',
    titleFailed:
      'Uploads: {{done, number}} von {{count, number}} fertig, {{failed, number}} fehlgeschlagen',
    show: 'Anzeigen',
    hide: 'Ausblenden',
    clear: 'Leeren',
    itemProgress: 'Upload-Fortschritt von {{name}}',
    overall: 'Gesamtfortschritt der Uploads',
    list: 'Dateien, die hochgeladen werden',
    tooLarge: 'Die Datei ist zu groß.',
    httpFailed: 'Der Upload ist fehlgeschlagen (HTTP {{status}}).',
  },
};
