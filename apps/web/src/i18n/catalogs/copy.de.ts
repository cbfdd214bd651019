import type { Catalog } from '../en.js';

export const copyDe: Pick<Catalog, 'copy'> = {
  copy: {
    copiedFiles_one: '{{count, number}} Datei kopiert.',
    copiedFiles_other: '{{count, number}} Dateien kopiert.',
    waiting: '„{{name}}“ wird kopiert: wartet auf den Start…',
    progress:
      '„{{name}}“ wird kopiert: {{filesDone, number}} von {{filesTotal, number}} Dateien · {{bytesDone}} von {{bytesTotal}}',
    done: '„{{name}}“ kopiert.',
    failed: 'Kopieren von „{{name}}“ fehlgeschlagen: {{error}}',
    stopped: 'Das Kopieren wurde abgebrochen.',
  },
};
