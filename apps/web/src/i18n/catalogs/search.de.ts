import type { Catalog } from '../en.js';

export const searchDe: Pick<Catalog, 'search'> = {
  search: {
    box: 'Meine Dateien durchsuchen',
    title: 'Suche',
    titleFor: 'Suche: {{q}}',
    resultsFor: 'Ergebnisse für „{{q}}“',
    hint: 'Geben Sie einen Namen oder Wörter aus einem Dokument in das Suchfeld ein.',
    found: '{{n, number}} gefunden',
    moreThan: 'Mehr als {{n, number}} gefunden',
    results: 'Suchergebnisse',
    empty: 'Kein Name und kein Text passt dazu.',
    inFolder: 'in {{where}}',
    inTrash: 'im Papierkorb',
    archived: 'archiviert',
    filters: {
      label: 'Suchfilter',
      kind: 'Art',
      filesAndFolders: 'Dateien und Ordner',
      files: 'Dateien',
      folders: 'Ordner',
      modifiedFrom: 'Geändert vom',
      modifiedTo: 'bis',
      sizeFrom: 'Größe ab (MiB)',
      sizeTo: 'bis (MiB)',
      includeTrash: 'Papierkorb einbeziehen',
      apply: 'Filter anwenden',
    },
  },
};
