import fs from 'node:fs/promises';
import path from 'node:path';
import type { Migration } from 'kysely';
import { openPGlite } from './pglite.open.js';
import { migrateToLatest, migrations as allMigrations } from './migrations.js';
import {
  installedPGliteVersion,
  TEMPLATE_DATA,
  TEMPLATE_MARKER,
  type TemplateMarker,
} from './pglite.template.js';

/**
 * Makes a template in `templateDir`: a new database (initdb), `migrations` applied, closed
 * cleanly, and a marker naming the PGlite release and the migrations it holds. Built in a
 * sibling directory and renamed into place, so a template is never half made.
 */
export const buildPGliteTemplate = async ({
  templateDir,
  migrations = allMigrations,
}: {
  templateDir: string;
  migrations?: Record<string, Migration>;
}) => {
  const staging = `${templateDir}.building-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true });
  try {
    const database = await openPGlite({
      dataDir: path.join(staging, TEMPLATE_DATA),
      durable: false,
      template: null,
    });
    let applied: string[];
    try {
      applied = await migrateToLatest(database.db, migrations);
    } finally {
      await database.close();
    }
    const marker: TemplateMarker = { pglite: await installedPGliteVersion(), migrations: applied };
    await fs.writeFile(path.join(staging, TEMPLATE_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    await fs.rm(templateDir, { recursive: true, force: true });
    await fs.rename(staging, templateDir);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
};
