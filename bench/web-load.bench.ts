import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { BrowserContext } from 'playwright-core';
import { createAppContext } from '../apps/server/src/app/app-context.js';
import { createServer } from '../apps/server/src/app/server.js';
import { parseConfig } from '../apps/server/src/config/config.js';
import { userActor } from '../apps/server/src/modules/access/access.models.js';
import { signUpAndSignIn } from '../apps/server/src/modules/auth/auth.test-utils.js';
import { createFolder } from '../apps/server/src/modules/folders/folders.usecases.js';
import { toFilesDeps } from '../apps/server/src/modules/nodes/nodes.usecases.js';
import { fillLargeFolder } from '../apps/server/src/test-support/files-bench-support.js';
import { launchBrowser } from '../apps/web/e2e/browser.js';
import type { Bench, BenchRow } from './bench.types.js';
import { percentile } from './files.bench-utils.js';

const webDir = fileURLToPath(new URL('../apps/web/dist', import.meta.url));

/** The link a person at home on a slow line has: 10 Mbit/s both ways, 40 ms each way. */
const LINK = {
  offline: false,
  latency: 40,
  downloadThroughput: (10_000_000 / 8) | 0,
  uploadThroughput: (10_000_000 / 8) | 0,
};

/** What `npm start` serves: the production build of the web app (built here when missing). */
const ensureWebBuild = () => {
  if (existsSync(join(webDir, 'index.html'))) return 'existing build';
  const build = spawnSync('npm', ['run', 'build', '--workspace', 'apps/web'], {
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) throw new Error(`The web build failed:\n${build.stderr}`);
  return 'built now';
};

/**
 * One cold load of a folder page in a fresh browser context (empty cache) through the
 * throttled link: ms until the first rows are visible, and the bytes the network carried
 * until then (headers and bodies, as compressed on the wire).
 */
const coldLoad = async (context: BrowserContext, url: string) => {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', LINK);
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => {
    bytes += event.encodedDataLength;
    requests += 1;
  });
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('.file-canvas [role="row"]').first().waitFor({ state: 'visible' });
  const ms = performance.now() - started;
  const first = { ms, bytes, requests };
  await page.close();
  return first;
};

export const bench: Bench = {
  name: 'web: cold load of a folder page through a 10 Mbit / 40 ms link (Chromium)',
  run: async () => {
    const rounds = Number(process.env.BENCH_WEB_ROUNDS ?? 5);
    const bigTotal = Number(process.env.BENCH_WEB_ENTRIES ?? 100_000);
    const build = ensureWebBuild();
    const dataDir = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'web-bench-'));
    const config = parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const appContext = await createAppContext(config, { logger: pino({ level: 'silent' }) });
    const app = await createServer(appContext, { webDir });
    const browser = await launchBrowser();
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      if (!address || typeof address === 'string') throw new Error('The bench server has no port.');
      const baseUrl = `http://127.0.0.1:${address.port}`;
      const user = await signUpAndSignIn(app);
      const deps = toFilesDeps(appContext);
      const actor = userActor(user.userId);
      const folderOf = async (name: string, total: number, folders: number) => {
        const { id } = await createFolder({ ...deps, actor, parentId: 'root', name });
        await fillLargeFolder(appContext.database.db, {
          ownerId: user.userId,
          folderId: id,
          total,
          folders,
        });
        return { name, id, total };
      };
      const cases = [await folderOf('small', 13, 3), await folderOf('big', bigTotal, 1000)];
      const cookies = user.cookieHeader.split(/;\s*/).map((pair) => {
        const at = pair.indexOf('=');
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: baseUrl };
      });
      const rows: BenchRow[] = [];
      for (const { name, id, total } of cases) {
        const runs: { ms: number; bytes: number; requests: number }[] = [];
        // One warm-up load (the server's first page of this folder), then the measured ones.
        for (let round = 0; round <= rounds; round += 1) {
          const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
          await context.addCookies(cookies);
          const run = await coldLoad(context, `${baseUrl}/folders/${id}`);
          await context.close();
          if (round > 0) runs.push(run);
        }
        const times = runs.map((run) => run.ms);
        rows.push({
          folder: `${name} (${total.toLocaleString('en')} items)`,
          'rows visible p50 ms': Math.round(percentile(times, 50)),
          'max ms': Math.round(Math.max(...times)),
          target: total > 1000 ? '< 1500' : '< 1000',
          'first load KiB': Math.round((runs[0]?.bytes ?? 0) / 1024),
          requests: runs[0]?.requests ?? 0,
          rounds,
          web: build,
        });
      }
      return rows;
    } finally {
      await browser.close();
      await app.close();
      await appContext.close();
      await rm(dataDir, { recursive: true, force: true, maxRetries: 10 });
    }
  },
};
