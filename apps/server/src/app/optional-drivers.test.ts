import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getFreePort } from '../test-support/s3-server.js';
import {
  buildServerCli,
  startServerProcess,
  waitForHttpOk,
} from '../test-support/server-process.js';
import { createTestDatabase } from '../test-support/test-database.js';
import {
  testPostgresUrl,
  usesRealServices,
  withDatabaseName,
} from '../test-support/test-services.js';

/**
 * Packages only some configurations (or only some requests) use; a server that has not used
 * one yet must not load it.
 */
const OPTIONAL = [
  '@simplewebauthn/server',
  '@aws-sdk/client-s3',
  '@aws-sdk/lib-storage',
  '@tus/s3-store',
  '@aws-sdk/client-sns',
  '@aws-sdk/client-secrets-manager',
  'ioredis',
  'nodemailer',
  'openid-client',
  'oauth4webapi',
  '@xmldom/xmldom',
  'qrcode',
  'sharp',
  'yazl',
];

/**
 * Every module the server process resolves, recorded by a resolve hook in its own thread
 * (Node's module customization hooks), one URL a line in MODULE_LOG.
 */
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.MODULE_LOG, result.url + '\\n');
  return result;
}
`;

let build: Awaited<ReturnType<typeof buildServerCli>>;
let workDir: string;

beforeAll(async () => {
  build = await buildServerCli();
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-optional-drivers-'));
  await fs.writeFile(path.join(workDir, 'hooks.mjs'), HOOKS);
  await fs.writeFile(
    path.join(workDir, 'register.mjs'),
    `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`,
  );
}, 60_000);

afterAll(async () => {
  await build.remove();
  await fs.rm(workDir, { recursive: true, force: true });
});

/** Starts `serve` on `dataDir` with `env`, waits for /healthz, stops it; the packages it loaded. */
const packagesLoadedBy = async (dataDir: string, env: Record<string, string>) => {
  const moduleLog = path.join(workDir, `modules-${Date.now()}.log`);
  const port = await getFreePort();
  const server = startServerProcess({
    cliPath: build.cliPath,
    name: 'serve',
    args: ['serve'],
    cwd: dataDir,
    env: {
      ...env,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      MODULE_LOG: moduleLog,
      NODE_OPTIONS: `--import ${path.join(workDir, 'register.mjs')}`,
    },
  });
  try {
    await waitForHttpOk(server, `http://127.0.0.1:${port}/healthz`, 240_000);
  } finally {
    await server.stop();
  }
  const urls = (await fs.readFile(moduleLog, 'utf8')).split('\n');
  return (name: string) => urls.some((url) => url.includes(`/node_modules/${name}`));
};

describe('optional drivers', () => {
  test('the embedded configuration loads none of them; S3 storage loads its driver', async () => {
    const dataDir = path.join(workDir, 'data');
    await fs.mkdir(dataDir);

    const embedded = await packagesLoadedBy(dataDir, {});
    expect(embedded('@electric-sql/pglite')).toBe(true);
    expect(OPTIONAL.filter(embedded)).toEqual([]);

    // No S3 server needs to answer: the store is built at start, and used only by requests.
    const onS3 = await packagesLoadedBy(dataDir, {
      STORAGE_URL: 's3://never-called?region=us-east-1&endpoint=http://127.0.0.1:9',
    });
    expect(onS3('@aws-sdk/lib-storage')).toBe(true);
    expect(['ioredis', 'nodemailer', 'sharp'].filter(onS3)).toEqual([]);
  }, 300_000);

  // Each PGlite module holds a WebAssembly PostgreSQL; a server on PostgreSQL has no use for it.
  test.runIf(usesRealServices())(
    'PostgreSQL mode loads no PGlite module, and no optional driver',
    async () => {
      const dataDir = path.join(workDir, 'data-postgres');
      await fs.mkdir(dataDir);
      const database = await createTestDatabase();
      try {
        const loaded = await packagesLoadedBy(dataDir, {
          DATABASE_URL: withDatabaseName(testPostgresUrl(), database.name),
        });
        expect(loaded('pg')).toBe(true);
        expect(loaded('@electric-sql/pglite')).toBe(false);
        expect(OPTIONAL.filter(loaded)).toEqual([]);
      } finally {
        await database.close();
      }
    },
    300_000,
  );
});
