import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { createLogger, lineDestination } from './logger.js';

const capture = () => {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
};

test('JSON lines when not on a terminal, with secrets redacted', async () => {
  const out = capture();
  const logger = createLogger({ level: 'info', interactive: false, destination: out.stream });
  logger.info({ user: { password: 'hunter2' } }, 'signed in');
  await new Promise((resolve) => setImmediate(resolve));
  const line = JSON.parse(out.text().trim()) as { msg: string; user: { password: string } };
  expect(line.msg).toBe('signed in');
  expect(line.user.password).toBe('[redacted]');
});

test('one readable line per entry on a terminal, still redacted', async () => {
  const out = capture();
  const logger = createLogger({ level: 'info', interactive: true, destination: out.stream });
  logger.info({ user: { password: 'hunter2' } }, 'signed in');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const text = out.text();
  expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: signed in\n/);
  expect(text).toContain('[redacted]');
  expect(text).not.toContain('hunter2');
});

test('lines are written in batches: a line waits in memory briefly, a full batch goes at once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'myfile-log-'));
  try {
    const file = join(dir, 'server.log');
    const logger = createLogger({
      level: 'info',
      interactive: false,
      destination: lineDestination(file),
    });
    const text = () => readFile(file, 'utf8').catch(() => '');
    logger.info('first line');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await text()).toBe('');
    // Out within the flush period, with no other line to push it.
    await expect.poll(text, { timeout: 2_000, interval: 50 }).toContain('first line');
    // A batch's worth goes without waiting for the period.
    for (let i = 0; i < 60; i += 1) logger.info({ i, padding: 'x'.repeat(60) }, 'busy');
    await expect
      .poll(async () => (await text()).split('\n').length, { timeout: 200, interval: 10 })
      .toBeGreaterThan(40);
    logger.flush();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('what is still buffered reaches stdout when the process exits, also through process.exit', () => {
  const logger = fileURLToPath(new URL('./logger.ts', import.meta.url));
  const script = `
    import { createLogger } from ${JSON.stringify(logger)};
    const log = createLogger({ level: 'info', interactive: false });
    log.info('last words');
    process.exit(3);`;
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', script],
    { encoding: 'utf8', timeout: 60_000 },
  );
  expect(child.status).toBe(3);
  expect(JSON.parse(child.stdout.trim())).toMatchObject({ msg: 'last words' });
});
