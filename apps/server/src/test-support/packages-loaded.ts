import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { getFreePort } from './s3-server.js';
import { buildServerCli, startServerProcess, waitForHttpOk } from './server-process.js';

/**
 * Packages only some configurations (or only some requests) use; a server that has not used
 * one yet must not load it.
 */
export const OPTIONAL_PACKAGES = [
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

/**
 * For a test file: builds the server CLI once; `loadedBy(dataDir, env)` starts `serve` on
 * `dataDir` with `env`, waits for /healthz, stops it, and answers which packages it loaded.
 */
export const usePackagesLoaded = () => {
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

  const loadedBy = async (dataDir: string, env: Record<string, string>) => {
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

  return {
    loadedBy,
    get workDir() {
      return workDir;
    },
  };
};
