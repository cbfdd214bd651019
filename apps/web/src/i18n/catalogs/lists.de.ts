import type { Catalog } from '../en.js';

export const listsDe: Pick<Catalog, 'stars' | 'recent' | 'trash'> = {
  stars: {
    title: 'Markiert',
    label: 'Markierte Elemente',
    empty:
      'Noch ist nichts markiert. Markieren Sie eine Datei oder einen Ordner mit einem Stern, um sie hier wiederzufinden.',
    starredAt: 'Markiert am {{date}}',
    star: '{{name}} markieren',
    unstar: 'Markierung von {{name}} entfernen',
  },
  recent: {
    title: 'Zuletzt verwendet',
    label: 'Zuletzt verwendete Dateien',
    empty: 'Dateien, die Sie hochladen, ändern oder öffnen, erscheinen hier.',
    opened: 'Geöffnet am {{date}}',
    changed: 'Geändert am {{date}}',
    openFolder: 'Ordner öffnen',
  },
  trash: {
    title: 'Papierkorb',
    emptyTrash: 'Papierkorb leeren',
    intro:
      'Gelöschte Elemente bleiben hier, bis Sie den Papierkorb leeren oder ihre Aufbewahrungsfrist endet; bei jedem steht, wann.',
    selectAllShown: 'Alle angezeigten auswählen',
    selected: '{{count, number}} ausgewählt',
    restoreSelected: 'Auswahl wiederherstellen',
    deleteSelectedForever: 'Auswahl endgültig löschen',
    label: 'Gelöschte Elemente',
    empty: 'Der Papierkorb ist leer.',
    select: '{{name}} auswählen',
    from: 'Aus /{{path}}',
    deletedAt: 'gelöscht am {{date}}',
    goneToday: 'wird heute endgültig gelöscht',
    goneIn_one: 'wird in {{count, number}} Tag endgültig gelöscht',
    goneIn_other: 'wird in {{count, number}} Tagen endgültig gelöscht',
    items_one: '{{count, number}} Element',
    items_other: '{{count, number}} Elemente',
    restore: 'Wiederherstellen',
    restoreName: '{{name}} wiederherstellen',
    restored: '„{{name}}“ wiederhergestellt.',
    restoredCount_one: '{{count, number}} Element wiederhergestellt.',
    restoredCount_other: '{{count, number}} Elemente wiederhergestellt.',
    deleteForever: 'Endgültig löschen',
    deleteForeverName: '{{name}} endgültig löschen',
    emptyQuestion: 'Papierkorb leeren?',
    deleteCountQuestion_one: '{{count, number}} Element endgültig löschen?',
    deleteCountQuestion_other: '{{count, number}} Elemente endgültig löschen?',
    deleteNameQuestion: '„{{name}}“ endgültig löschen?',
    deletedCount_one: '{{count, number}} Element endgültig gelöscht.',
    deletedCount_other: '{{count, number}} Elemente endgültig gelöscht.',
    deletedName: '„{{name}}“ endgültig gelöscht.',
    emptied: 'Der Papierkorb ist geleert.',
    emptyWarning:
      'Alles im Papierkorb wird endgültig gelöscht und sein Speicherplatz freigegeben. Das lässt sich nicht rückgängig machen.',
    selectedWarning:
      'Die ausgewählten Elemente und alles darin werden endgültig gelöscht. Das lässt sich nicht rückgängig machen.',
    itemWarning:
      'Das Element und alles darin werden endgültig gelöscht. Das lässt sich nicht rückgängig machen.',
  },
};
