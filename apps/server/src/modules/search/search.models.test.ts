import { describe, expect, test } from 'vitest';
import { oneEditPatterns, toSearchKey, toSnippet } from './search.models.js';

const likeToRegExp = (pattern: string) =>
  new RegExp(
    `^${pattern.replace(/\\([\\%_])|[%_]|[.*+?^${}()|[\]]/g, (token, escaped?: string) => {
      if (escaped) return escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (token === '%') return '.*';
      if (token === '_') return '.';
      return `\\${token}`;
    })}$`,
    'u',
  );

const matchesWithOneTypo = (name: string, query: string) =>
  oneEditPatterns(query).some((pattern) => likeToRegExp(pattern).test(name));

describe('oneEditPatterns', () => {
  test('matches names holding the query with one letter replaced, missing, extra or swapped', () => {
    for (const [name, query] of [
      ['photo-sunset.jpg', 'sunsat'],
      ['photo-sunset.jpg', 'sunst'],
      ['photo-sunset.jpg', 'sunseet'],
      ['photo-sunset.jpg', 'usnset'],
      ['invoice-42.pdf', 'invioce'],
      ['budget.xlsx', 'budgt'],
    ] as const) {
      expect(matchesWithOneTypo(name, query), `${query} in ${name}`).toBe(true);
    }
  });

  test('does not match two edits away, nor forgive typos in queries under four letters', () => {
    expect(matchesWithOneTypo('photo-sunset.jpg', 'sanzet')).toBe(false);
    expect(matchesWithOneTypo('cut.txt', 'cat')).toBe(false);
    expect(oneEditPatterns('cat')).toEqual([]);
  });

  test('escapes LIKE wildcards in the query, and every pattern keeps three letters in a row', () => {
    const patterns = oneEditPatterns('100%_done');
    expect(patterns.every((pattern) => /[^%_\\]{3}/u.test(pattern.replace(/\\./g, 'x')))).toBe(
      true,
    );
    expect(matchesWithOneTypo('report 100%_done', '100%_done')).toBe(true);
    expect(matchesWithOneTypo('report 1000xdone', '100%_done')).toBe(false);
  });
});

describe('toSearchKey and toSnippet', () => {
  test('folds case and compatibility forms', () => {
    expect(toSearchKey(' E\u0301TÉ ﬁle ＡＢＣ ')).toBe('été file abc');
  });

  test('splits marked headlines into plain and matched stretches', () => {
    expect(toSnippet('a \u0002b\u0003 c \u0002d\u0003')).toEqual([
      { text: 'a ', match: false },
      { text: 'b', match: true },
      { text: ' c ', match: false },
      { text: 'd', match: true },
    ]);
  });
});
