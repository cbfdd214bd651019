import fs from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, expect, test } from 'vitest';

// The repository's own lint config, run on a real component with one word put back in by hand:
// the guard that keeps every visible string in the catalogs must catch each kind.
const file = path.resolve(import.meta.dirname, '../app/not-found-page.tsx');
let source = '';
let eslint: ESLint;

beforeAll(async () => {
  source = await fs.readFile(file, 'utf8');
  eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '../../../..') });
});

const literalErrors = async (code: string) => {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? [])
    .filter(
      (message) =>
        message.ruleId === 'i18next/no-literal-string' || message.ruleId === 'no-restricted-syntax',
    )
    .map((message) => message.message);
};

test('the component as committed passes', { timeout: 180_000 }, async () => {
  expect(await literalErrors(source)).toEqual([]);
});

test.each([
  ['text between tags', "{t('notFound.title')}</h1>", 'Page not found</h1>'],
  ['a string in a JSX expression', "{t('notFound.goHome')}", "{'Go to your files'}"],
  ['an aria-label', '<section aria-labelledby', '<section aria-label="Not found" aria-labelledby'],
  ['a title', '<h1 id', '<h1 title="Missing page" id'],
  ['a page title', "useTitle(t('notFound.title'))", "useTitle('Page not found')"],
])('a hard-coded string is refused: %s', { timeout: 180_000 }, async (_kind, from, to) => {
  expect(source).toContain(from);
  expect(await literalErrors(source.replace(from, to))).toHaveLength(1);
});

test('a toast’s text is refused, its tone is not', { timeout: 180_000 }, async () => {
  const code = [
    'declare const toasts: { show(text: string, tone?: string): void; progress(text: string): void };',
    'declare const t: (key: string) => string;',
    'export const run = () => {',
    "  toasts.show('Saved.', 'success');",
    '  toasts.progress(`Working on ${String(1)}…`);',
    "  toasts.show(t('saved'), 'success');",
    '};',
  ].join('\n');
  expect(await literalErrors(code)).toHaveLength(2);
});

test('a toast made in a hook (a .ts file) is refused too', { timeout: 180_000 }, async () => {
  const hook = path.resolve(import.meta.dirname, '../files/copy-nodes.ts');
  const code = await fs.readFile(hook, 'utf8');
  const from = /toasts\.show\(t\([^)]*\)/.exec(code)?.[0];
  expect(from).toBeDefined();
  const [result] = await eslint.lintText(code.replace(from ?? '', "toasts.show('Copied.'"), {
    filePath: hook,
  });
  const errors = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax');
  expect(errors).toHaveLength(1);
});
