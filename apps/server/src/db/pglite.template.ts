import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrations as allMigrations } from './migrations.js';

/**
 * A new embedded database is a copy of a template: a data directory that initdb and every
 * migration known at build time already ran on (`npm run build` makes one next to the bundle).
 * Copying it takes a fraction of a second where initdb takes seconds and a few hundred MB;
 * migrations newer than the template still run on the copy at start, as on any database.
 */
export const TEMPLATE_MARKER = 'template.json';
export const TEMPLATE_DATA = 'db';

export type TemplateMarker = { pglite: string; migrations: string[] };

/** The PGlite release installed here: a data directory is only safe with the one that made it. */
export const installedPGliteVersion = async () => {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = path.join(path.dirname(entry), '..', 'package.json');
  return (JSON.parse(await fs.readFile(manifest, 'utf8')) as { version: string }).version;
};

/**
 * Whether a template fits this code: made by the same PGlite release, and holding no migration
 * this code does not know (one from newer code would fail every start).
 */
export const templateFits = (
  marker: TemplateMarker,
  { pglite, migrationNames }: { pglite: string; migrationNames: readonly string[] },
) => marker.pglite === pglite && marker.migrations.every((name) => migrationNames.includes(name));

const readMarker = async (templateDir: string): Promise<TemplateMarker | undefined> => {
  const text = await fs
    .readFile(path.join(templateDir, TEMPLATE_MARKER), 'utf8')
    .catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as Partial<TemplateMarker>;
  return typeof parsed.pglite === 'string' && Array.isArray(parsed.migrations)
    ? { pglite: parsed.pglite, migrations: parsed.migrations }
    : undefined;
};

/** The template's data directory when it fits this code and PGlite release, else undefined. */
export const usablePGliteTemplate = async (
  templateDir: string,
  migrationNames: readonly string[] = Object.keys(allMigrations),
): Promise<string | undefined> => {
  const marker = await readMarker(templateDir);
  if (!marker) return undefined;
  const pglite = await installedPGliteVersion();
  return templateFits(marker, { pglite, migrationNames })
    ? path.join(templateDir, TEMPLATE_DATA)
    : undefined;
};

/**
 * Where the build puts the template: beside the bundle's entry, whether this code sits in the
 * entry file or in one of its chunks. Run from source there is none, and initdb runs instead.
 */
export const bundledPGliteTemplate = async (): Promise<string | undefined> => {
  for (const candidate of ['pglite-template', '../pglite-template']) {
    const found = await usablePGliteTemplate(fileURLToPath(new URL(candidate, import.meta.url)));
    if (found) return found;
  }
  return undefined;
};
