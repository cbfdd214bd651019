import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

/** The README and docs/ are read by someone who has only this repository. */
const root = fileURLToPath(new URL('../../../', import.meta.url));

const docFiles = async () => [
  'README.md',
  ...(await readdir(path.join(root, 'docs')))
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join('docs', name)),
];

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

test('every relative link in the docs points at a file inside the repository', async () => {
  const broken: string[] = [];
  for (const doc of await docFiles()) {
    const text = await readFile(path.join(root, doc), 'utf8');
    for (const [, target = ''] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue;
      const resolved = path.resolve(root, path.dirname(doc), target);
      const inside = !path.relative(root, resolved).startsWith('..');
      if (!inside || !(await exists(resolved))) broken.push(`${doc}: ${target}`);
    }
  }
  expect(broken).toEqual([]);
});

test('the docs cite no document the repository does not hold', async () => {
  const citations: string[] = [];
  for (const doc of await docFiles()) {
    const text = await readFile(path.join(root, doc), 'utf8');
    for (const match of text.matchAll(/\bspec\b|\bseeds?\b|\bthe issue\b|\bissue \d+/gi)) {
      citations.push(`${doc}: ${match[0]}`);
    }
  }
  expect(citations).toEqual([]);
});
