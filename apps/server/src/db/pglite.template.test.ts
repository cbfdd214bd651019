import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { wrapPGlite, type Db } from './database.js';
import { openPGlite, pgliteOptions } from './pglite.open.js';
import { migrateToLatest, migrations } from './migrations.js';
import { initPGliteDataDir } from './pglite.initdb.js';
import { buildPGliteTemplate } from './pglite.template-build.js';
import { installedPGliteVersion, templateFits, usablePGliteTemplate } from './pglite.template.js';

const names = Object.keys(migrations);
const [newest = ''] = names.slice(-1);

/** Tables, columns, indexes, constraints and extensions: what the migrations make. */
const schemaOf = async (db: Db) => {
  const columns = await sql<Record<string, unknown>>`
    select table_name, column_name, data_type, is_nullable, column_default
    from information_schema.columns where table_schema = 'public'
    order by table_name, column_name`.execute(db);
  const indexes = await sql<Record<string, unknown>>`
    select indexname, indexdef from pg_indexes where schemaname = 'public'
    order by indexname`.execute(db);
  const constraints = await sql<Record<string, unknown>>`
    select conname, pg_get_constraintdef(oid) as definition from pg_constraint
    where connamespace = 'public'::regnamespace order by conname, definition`.execute(db);
  const extensions = await sql<Record<string, unknown>>`
    select extname from pg_extension order by extname`.execute(db);
  return {
    columns: columns.rows,
    indexes: indexes.rows,
    constraints: constraints.rows,
    extensions: extensions.rows,
  };
};

/**
 * The reference: an embedded database migrated from zero, in memory. (The suite's test database
 * is PostgreSQL under TEST_SERVICES=1, whose catalog differs in ways the migrations do not make.)
 */
const migratedFromZero = async () => {
  const reference = wrapPGlite(await PGlite.create(pgliteOptions));
  await migrateToLatest(reference.db);
  return reference;
};

const appliedMigrations = async (db: Db) =>
  (
    await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)
  ).rows.map((row) => row.name);

describe('templateFits', () => {
  const marker = { pglite: '0.5.16', migrations: ['0001_a', '0002_b'] };

  test('same PGlite release, migrations this code knows (or fewer): fits', () => {
    expect(templateFits(marker, { pglite: '0.5.16', migrationNames: ['0001_a', '0002_b'] })).toBe(
      true,
    );
    expect(
      templateFits(marker, { pglite: '0.5.16', migrationNames: ['0001_a', '0002_b', '0003_c'] }),
    ).toBe(true);
  });

  test('another PGlite release, or a migration this code does not know: does not fit', () => {
    expect(templateFits(marker, { pglite: '0.5.17', migrationNames: ['0001_a', '0002_b'] })).toBe(
      false,
    );
    expect(templateFits(marker, { pglite: '0.5.16', migrationNames: ['0001_a'] })).toBe(false);
  });
});

describe('usablePGliteTemplate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-pglite-marker-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  const withMarker = async (name: string, marker: unknown) => {
    const templateDir = path.join(dir, name);
    await fs.mkdir(path.join(templateDir, 'db'), { recursive: true });
    await fs.writeFile(path.join(templateDir, 'template.json'), JSON.stringify(marker));
    return templateDir;
  };

  test('a template made by this PGlite release with known migrations is used', async () => {
    const templateDir = await withMarker('fits', {
      pglite: await installedPGliteVersion(),
      migrations: names.slice(0, 3),
    });
    expect(await usablePGliteTemplate(templateDir)).toBe(path.join(templateDir, 'db'));
  });

  test('another PGlite release, a newer migration, a bad or missing marker: not used', async () => {
    const version = await installedPGliteVersion();
    const other = await withMarker('other-release', { pglite: `${version}-other`, migrations: [] });
    const newer = await withMarker('newer', {
      pglite: version,
      migrations: [...names, '9999_from_newer_code'],
    });
    const bad = await withMarker('bad', { pglite: version });
    expect(await usablePGliteTemplate(other)).toBeUndefined();
    expect(await usablePGliteTemplate(newer)).toBeUndefined();
    expect(await usablePGliteTemplate(bad)).toBeUndefined();
    expect(await usablePGliteTemplate(path.join(dir, 'missing'))).toBeUndefined();
  });
});

describe('a new embedded database from a template made before the newest migration', () => {
  let dir: string;
  let templateDir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-pglite-template-'));
    templateDir = path.join(dir, 'template');
    await buildPGliteTemplate({
      templateDir,
      migrations: Object.fromEntries(Object.entries(migrations).slice(0, -1)),
    });
  }, 300_000);
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  test('is a copy: the newest migration runs on top, and the schema is the current one', async () => {
    const template = await usablePGliteTemplate(templateDir);
    expect(template).toBe(path.join(templateDir, 'db'));
    const dataDir = path.join(dir, 'data', 'db');
    await fs.mkdir(dataDir, { recursive: true });
    // The copy is what makes it: no initdb ran (a process would have been started for it).
    expect(await initPGliteDataDir(dataDir, { template })).toBe('template');
    await expect(fs.access(path.join(dataDir, 'template.json'))).rejects.toThrow();

    const database = await openPGlite({ dataDir, template });
    const reference = await migratedFromZero();
    try {
      expect(await appliedMigrations(database.db)).toEqual(names.slice(0, -1));
      expect(await migrateToLatest(database.db)).toEqual([newest]);
      expect(await schemaOf(database.db)).toEqual(await schemaOf(reference.db));
      await sql`insert into users (id, email, password_hash)
        values ('01900000-0000-7000-8000-0000000000aa', 'kept@example.com', 'x')`.execute(
        database.db,
      );
    } finally {
      await reference.close();
      await database.close();
    }

    // A restart opens what is there; the template is neither copied again nor changed.
    expect(await initPGliteDataDir(dataDir, { template })).toBeUndefined();
    const reopened = await openPGlite({ dataDir, template });
    try {
      expect(await migrateToLatest(reopened.db)).toEqual([]);
      const users = await sql<{ email: string }>`select email from users`.execute(reopened.db);
      expect(users.rows).toEqual([{ email: 'kept@example.com' }]);
    } finally {
      await reopened.close();
    }
    const untouched = await openPGlite({
      dataDir: path.join(templateDir, 'db'),
      template: null,
      durable: false,
    });
    try {
      expect(await appliedMigrations(untouched.db)).toEqual(names.slice(0, -1));
    } finally {
      await untouched.close();
    }
  }, 300_000);
});
