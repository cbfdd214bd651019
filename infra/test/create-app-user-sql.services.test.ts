import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppUserSqlPath } from '../lib/paths.js';

/**
 * Runs infra/sql/create-app-user.sql with psql against a real PostgreSQL, the way the
 * CreateAppUserTask does on RDS. Needs psql and a server: `npm run test:services`
 * (TEST_SERVICES=1; TEST_DATABASE_URL overrides postgres://postgres@127.0.0.1:5432/postgres).
 */
const adminUrl = new URL(
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
);
const suffix = randomBytes(4).toString('hex');
const database = `myfile_sql_${suffix}`;
const appUser = `myfile_app_${suffix}`;
const appPassword = randomBytes(16).toString('hex');

function urlFor(user: string | undefined, db: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  if (user !== undefined) {
    url.username = user;
    url.password = '';
  }
  return url.toString();
}

function psql(url: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

function runCreateAppUser(): ReturnType<typeof psql> {
  return psql(urlFor(undefined, database), [
    '-v',
    `app_user=${appUser}`,
    '-v',
    `app_password=${appPassword}`,
    '-v',
    `db_name=${database}`,
    '-f',
    createAppUserSqlPath,
  ]);
}

const asOwner = (sql: string) => psql(urlFor(undefined, database), ['-tAc', sql]);
const asApp = (sql: string) =>
  psql(urlFor(appUser, database), ['-tAc', sql], { PGPASSWORD: appPassword });

describe('create-app-user.sql (real PostgreSQL)', () => {
  beforeAll(() => {
    const created = psql(urlFor(undefined, adminUrl.pathname.slice(1) || 'postgres'), [
      '-c',
      `CREATE DATABASE ${database}`,
    ]);
    expect(created.stderr).toBe('');
    expect(runCreateAppUser().status).toBe(0);
    // What the MigrateTask does afterwards, as the master user.
    expect(
      asOwner(
        'CREATE TABLE public.files (id bigserial PRIMARY KEY, name text); ' +
          'CREATE TABLE public.jobs (id bigserial PRIMARY KEY);',
      ).status,
    ).toBe(0);
  });

  afterAll(() => {
    const maintenance = urlFor(undefined, adminUrl.pathname.slice(1) || 'postgres');
    psql(maintenance, ['-c', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`]);
    psql(maintenance, ['-c', `DROP ROLE IF EXISTS ${appUser}`]);
  });

  it('lets the app read and write rows of tables created later by migrations', () => {
    expect(asApp("INSERT INTO files (name) VALUES ('a.txt') RETURNING id")).toMatchObject({
      status: 0,
      stdout: '1',
    });
    expect(asApp("UPDATE files SET name = 'b.txt'").status).toBe(0);
    expect(asApp('SELECT name FROM files').stdout).toBe('b.txt');
    expect(asApp('INSERT INTO jobs DEFAULT VALUES').status).toBe(0);
    expect(asApp('DELETE FROM files').status).toBe(0);
  });

  it('refuses DDL to the app user', () => {
    expect(asApp('CREATE TABLE evil (id int)').stderr).toMatch(/permission denied/);
    expect(asApp('DROP TABLE files').stderr).toMatch(/must be owner/);
    expect(asApp('ALTER TABLE files ADD COLUMN x int').stderr).toMatch(/must be owner/);
    expect(asApp('CREATE SCHEMA evil').stderr).toMatch(/permission denied/);
  });

  it('creates a login role without elevated attributes', () => {
    const attributes = asOwner(
      `SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls
       FROM pg_roles WHERE rolname = '${appUser}'`,
    );
    expect(attributes.stdout).toBe('t|f|f|f|f|f');
  });

  it('is idempotent: running it again converges without error', () => {
    expect(runCreateAppUser()).toMatchObject({ status: 0, stderr: '' });
    expect(asApp('SELECT count(*) FROM files').stdout).toBe('0');
  });
});
