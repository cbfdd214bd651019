import type { Catalog } from '../en.js';

export const sessionDe: Catalog['session'] = {
  checking: 'Ihre Sitzung wird geprüft…',
  retrying: 'Neuer Versuch alle paar Sekunden…',
};
