import type { Catalog } from './en.js';

/** The German catalog (Sie-Form, as German software addresses people it does not know). */
export const de: Catalog = {
  app: {
    name: 'My File',
    skipToContent: 'Zum Inhalt springen',
    language: 'Sprache',
  },
  common: {
    loading: 'Wird geladen…',
  },
  nav: {
    main: 'Hauptmenü',
    files: 'Dateien',
    recent: 'Zuletzt verwendet',
    starred: 'Markiert',
    sharedWithMe: 'Für mich freigegeben',
    sharedByMe: 'Von mir freigegeben',
    trash: 'Papierkorb',
    account: 'Konto',
    admin: 'Verwaltung',
    signOut: 'Abmelden',
  },
  notFound: {
    title: 'Seite nicht gefunden',
    body: 'Unter dieser Adresse gibt es nichts.',
    goHome: 'Zu Ihren Dateien',
  },
  usage: {
    storageUsed: 'Belegter Speicher',
    used: '{{used}} von {{quota}} belegt',
    files_one: '{{count, number}} Datei',
    files_other: '{{count, number}} Dateien',
    inTrash: '{{size}} im Papierkorb',
  },
};
