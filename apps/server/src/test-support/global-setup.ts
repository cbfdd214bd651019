import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openPostgres, wrapPGlite } from '../db/database.js';
import { pgliteOptions } from '../db/pglite.open.js';
import { migrateToLatest } from '../db/migrations.js';
import { startS3TestServer, type SharedS3Server } from './s3-server.js';
import {
  adminQuery,
  testPostgresUrl,
  usesRealServices,
  withDatabaseName,
} from './test-services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data dir dump; each test file loads its own copy (~1 s, not ~6 s). */
    pgliteTemplatePath: string;
    /** A migrated PostgreSQL database each test file clones with CREATE DATABASE … TEMPLATE. */
    postgresTemplateDatabase: string;
    /** The S3-compatible server every app test uses on real services (empty otherwise). */
    s3TestServer: SharedS3Server | null;
  }
}

export default async function setup(project: TestProject) {
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-test-'));
  const templatePath = path.join(workDir, 'pglite-template.tar');
  if (!usesRealServices()) {
    const pglite = await PGlite.create(pgliteOptions);
    const handle = wrapPGlite(pglite);
    await migrateToLatest(handle.db);
    const dump = await pglite.dumpDataDir('none');
    await fs.writeFile(templatePath, Buffer.from(await dump.arrayBuffer()));
    await handle.close();
  }
  project.provide('pgliteTemplatePath', templatePath);

  let postgresTemplate = '';
  if (usesRealServices()) {
    postgresTemplate = `myfile_template_${randomBytes(4).toString('hex')}`;
    await adminQuery(`create database ${postgresTemplate}`).catch((error: unknown) => {
      throw new Error(
        `TEST_SERVICES=1 but PostgreSQL at ${testPostgresUrl()} cannot be used: ${String(error)}`,
      );
    });
    const template = openPostgres({
      url: withDatabaseName(testPostgresUrl(), postgresTemplate),
      poolSize: 2,
    });
    await migrateToLatest(template.db);
    await template.close();
  }
  project.provide('postgresTemplateDatabase', postgresTemplate);

  // One server for the whole run; each test app gets its own bucket on it.
  const s3 = usesRealServices() ? await startS3TestServer() : undefined;
  project.provide(
    's3TestServer',
    s3
      ? {
          kind: s3.kind,
          endpoint: s3.endpoint ?? null,
          region: s3.region,
          credentials: s3.credentials ?? null,
          supportsAbortMultipart: s3.supportsAbortMultipart,
        }
      : null,
  );

  return async () => {
    await s3?.stop();
    if (postgresTemplate)
      await adminQuery(`drop database if exists ${postgresTemplate} with (force)`);
    await fs.rm(workDir, { recursive: true, force: true });
  };
}
