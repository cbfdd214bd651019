import { describe, expect, test } from 'vitest';
import { evaluateIf, parseIfHeader, submittedTokens } from './webdav.if-header.js';

describe('parseIfHeader', () => {
  test('untagged lists with Not, tokens and entity tags', () => {
    expect(parseIfHeader('(<urn:a> ["e1"]) (Not <DAV:no-lock>)')).toEqual([
      {
        resource: undefined,
        conditions: [
          { not: false, kind: 'token', token: 'urn:a' },
          { not: false, kind: 'etag', etag: '"e1"' },
        ],
      },
      { resource: undefined, conditions: [{ not: true, kind: 'token', token: 'DAV:no-lock' }] },
    ]);
  });

  test('tagged lists keep their resource until the next tag', () => {
    const lists = parseIfHeader('<http://h/dav/a> (<urn:a>) (<urn:b>) </dav/b> (["x"])');
    expect(lists.map((list) => list.resource)).toEqual([
      'http://h/dav/a',
      'http://h/dav/a',
      '/dav/b',
    ]);
  });

  test.each(['', '(', '()', '(<urn:a>', 'urn:a', '(Not)', '([etag)'])(
    '%j is malformed',
    (value) => {
      expect(() => parseIfHeader(value)).toThrow(/If header is malformed/);
    },
  );
});

describe('evaluateIf', () => {
  const state = { etag: '"e1"', lockTokens: new Set(['urn:a']) };
  const holds = (value: string) => evaluateIf(parseIfHeader(value), () => state);

  test('a list holds when every condition does; the header when any list does', () => {
    expect(holds('(<urn:a> ["e1"])')).toBe(true);
    expect(holds('(<urn:a> ["e2"])')).toBe(false);
    expect(holds('(<urn:a> ["e2"]) (Not <DAV:no-lock>)')).toBe(true);
    expect(holds('(<DAV:no-lock>)')).toBe(false);
    expect(holds('(Not <urn:a>)')).toBe(false);
    expect(holds('([W/"e1"])')).toBe(true);
  });

  test('submitted tokens are the ones named without Not', () => {
    expect(submittedTokens(parseIfHeader('(<urn:a>) (Not <urn:b>) <x> (<urn:c>)'))).toEqual(
      new Set(['urn:a', 'urn:c']),
    );
  });
});
