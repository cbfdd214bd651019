import { expect, test } from 'vitest';
import { de } from './de.js';
import { en } from './en.js';

type Tree = { [key: string]: string | Tree };

const flatten = (tree: Tree, prefix = ''): Map<string, string> => {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') entries.set(path, value);
    else for (const [inner, text] of flatten(value, path)) entries.set(inner, text);
  }
  return entries;
};

const placeholders = (text: string) =>
  [...text.matchAll(/\{\{\s*(\w+)/g)].map((match) => match[1]).sort();

const english = flatten(en);
const german = flatten(de);

test('German has every English key and no other', () => {
  expect([...german.keys()].sort()).toEqual([...english.keys()].sort());
});

test('no string is empty in either language', () => {
  for (const [key, text] of [...english, ...german]) expect(text.trim(), key).not.toBe('');
});

test('each German string takes the same values as its English one', () => {
  for (const [key, text] of english) {
    expect(placeholders(german.get(key) ?? ''), key).toEqual(placeholders(text));
  }
});

test('German is translated, not a copy of the English', () => {
  // A handful may read the same in both ("Admin", "Dashboard", the product's name); most must not.
  const same = [...english].filter(([key, text]) => german.get(key) === text).map(([key]) => key);
  expect(same.length).toBeLessThan(english.size / 10);
});
