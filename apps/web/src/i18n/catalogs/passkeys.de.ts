import type { Catalog } from '../en.js';

export const passkeysDe: Catalog['passkeys'] = {
  title: 'Passkeys',
  intro:
    'Mit einem Passkey melden Sie sich über die Bildschirmsperre dieses Geräts oder einen Sicherheitsschlüssel an, ganz ohne Passwort. Ist die Zwei-Faktor-Authentifizierung an, ersetzt er auch den Code.',
  add: 'Passkey hinzufügen',
  newName: 'Name für den neuen Passkey (optional)',
  waitingForDevice: 'Warten auf Ihr Gerät…',
  unsupported: 'Dieser Browser kann keine Passkeys erstellen.',
  removeTitle: '„{{name}}“ entfernen?',
  removeConfirm: 'Passkey entfernen',
  removeBody: 'Er meldet Sie dann nicht mehr an. Entfernen Sie ihn auch auf dem Gerät.',
  renameNamed: '{{name}} umbenennen',
  name: 'Name des Passkeys',
  save: 'Speichern',
  synced: 'Synchronisiert',
  added: 'hinzugefügt am {{date}}',
  lastUsed: 'zuletzt verwendet am {{date}}',
  neverUsed: 'nie verwendet',
  rename: 'Umbenennen',
  removeNamed: '{{name}} entfernen',
  remove: 'Entfernen',
  alreadyRegistered: 'Auf diesem Gerät gibt es bereits einen Passkey für Ihr Konto.',
  promptClosed:
    'Die Passkey-Abfrage wurde geschlossen oder ist abgelaufen; es wurde nichts gesendet. Versuchen Sie es erneut.',
};
