import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { createLogger } from './logger.js';

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
