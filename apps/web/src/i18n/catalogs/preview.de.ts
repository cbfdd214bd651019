import type { Catalog } from '../en.js';

export const previewDe: Pick<Catalog, 'preview' | 'versions'> = {
  preview: {
    archived:
      'Diese Datei ist archiviert. Stellen Sie ihren Ordner wieder her, um sie anzusehen oder herunterzuladen.',
    pdfTooLarge:
      'Dieses PDF ist zu groß für die Vorschau: Öffnen Sie es in einem neuen Tab oder laden Sie es herunter.',
    noPreview: 'Für diese Art von Datei gibt es keine Vorschau ({{kind}}).',
    previous: '← Zurück',
    next: 'Weiter →',
    position: '{{index, number}} von {{count, number}}',
    openPdf: 'PDF in neuem Tab öffnen',
    download: 'Herunterladen',
    zoom: 'Zoom',
    zoomOut: 'Verkleinern',
    zoomIn: 'Vergrößern',
    fit: 'Einpassen',
    zoomed: '{{name}} bei {{percent, number}} %',
    textCut: 'Die ersten {{size}} werden angezeigt. Laden Sie die Datei für den Rest herunter.',
    page: 'Seite {{page, number}} von {{count, number}}',
    pagesOf: 'Seiten von {{name}}',
    firstPages:
      'Die ersten {{shown, number}} von {{count, number}} Seiten werden angezeigt. Laden Sie die Datei für den Rest herunter.',
  },
  versions: {
    loading: 'Versionen werden geladen…',
    restoreFolderFirst: 'Stellen Sie den Ordner aus dem Archiv wieder her, um diese zu nutzen.',
    none: 'Keine früheren Versionen. Wenn Sie die Datei ersetzen, bleibt die alte hier erhalten.',
    listOf: 'Versionen von {{name}}',
    replacedBy: 'ersetzt von {{email}}',
    download: 'Herunterladen',
    downloadOf: 'Version vom {{date}} herunterladen',
    restore: 'Wiederherstellen',
    restoreOf: 'Version vom {{date}} wiederherstellen',
    restored: 'Version vom {{date}} wiederhergestellt.',
    delete: 'Löschen',
    deleteOf: 'Version vom {{date}} löschen',
    deleteQuestion: 'Diese Version löschen?',
    deleteConfirm: 'Version löschen',
    deleteExplained:
      'Die Version von „{{name}}“ vom {{date}} ({{size}}) wird endgültig gelöscht und ihr Speicherplatz freigegeben.',
  },
};
