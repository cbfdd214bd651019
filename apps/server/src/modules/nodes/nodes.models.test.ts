import { describe, expect, test } from 'vitest';
import { normalizeName, toNameKey, toSortKey, withCopySuffix } from './nodes.models.js';

describe('names', () => {
  test('are stored in NFC and compared by a folded key', () => {
    expect(normalizeName('Cafe\u0301')).toBe('Caf\u00e9');
    expect(toNameKey('CAFE\u0301')).toBe(toNameKey('café'));
    expect(toNameKey('Straße')).toBe(toNameKey('STRASSE'));
    expect(toNameKey('ΣΊΣΥΦΟΣ')).toBe(toNameKey('σίσυφος'));
  });

  test.each([
    'a/b',
    '',
    '.',
    '..',
    'a\u0000',
    'a\u001f',
    'a\u007f',
    'a\u0085b',
    'end.',
    'end ',
    'x'.repeat(256),
  ])('%j is refused', (name) => expect(() => normalizeName(name)).toThrow());

  test.each([
    'evil\u202Etxt.exe',
    're\u200bport',
    'a\u200cb',
    'a\u200db',
    'a\u200eb',
    'a\u200fb',
    'a\u202ab',
    'a\u2066b',
    'a\u2069b',
    '\uFEFFreport',
    'soft\u00ADhyphen',
    'a\u2060b',
    'a\u061Cb',
  ])('%j (invisible or bidi control) is refused with a clear message', (name) => {
    expect(() => normalizeName(name)).toThrow(/invisible or text-direction/);
    // Every time: the check keeps no state between names.
    expect(() => normalizeName(name)).toThrow(/invisible or text-direction/);
  });

  test('emoji sequences joined by U+200D and right-to-left scripts stay allowed', () => {
    expect(normalizeName('team 👩\u200D💻 notes')).toBe('team 👩\u200D💻 notes');
    expect(normalizeName('family 👨\u200D👩\u200D👧')).toBe('family 👨\u200D👩\u200D👧');
    expect(normalizeName('תיקייה')).toBe('תיקייה');
    expect(normalizeName('ملف.txt')).toBe('ملف.txt');
  });

  test('255 bytes is the limit, counted in UTF-8', () => {
    expect(normalizeName('é'.repeat(127) + 'a')).toHaveLength(128);
    expect(() => normalizeName('é'.repeat(128))).toThrow();
  });

  test('natural order: digit runs compare by value', () => {
    const names = ['file10', 'file2', 'File1', 'file02b', 'file', 'a100', 'a99'];
    expect([...names].sort((a, b) => (toSortKey(a) < toSortKey(b) ? -1 : 1))).toEqual([
      'a99',
      'a100',
      'file',
      'File1',
      'file2',
      'file02b',
      'file10',
    ]);
  });

  test('copy suffixes keep the extension and the byte limit', () => {
    expect(withCopySuffix('a.txt', 1)).toBe('a (1).txt');
    expect(withCopySuffix('archive', 3)).toBe('archive (3)');
    expect(withCopySuffix('.env', 1)).toBe('.env (1)');
    const long = `${'😀'.repeat(62)}.txt`;
    const suffixed = withCopySuffix(long, 12);
    expect(Buffer.byteLength(suffixed)).toBeLessThanOrEqual(255);
    expect(suffixed.endsWith(' (12).txt')).toBe(true);
    expect(() => normalizeName(suffixed)).not.toThrow();
  });
});
