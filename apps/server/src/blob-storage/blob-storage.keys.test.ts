import { describe, expect, it } from 'vitest';
import { InvalidBlobKeyError } from './blob-storage.errors.js';
import { assertValidBlobKey, assertValidBlobPrefix, createBlobKey } from './blob-storage.keys.js';

describe('createBlobKey', () => {
  it('makes a two-level sharded uuidv7 key that passes validation', () => {
    const key = createBlobKey();
    expect(key).toMatch(
      /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(() => assertValidBlobKey(key)).not.toThrow();
  });

  it('shards on the random tail, so keys made together spread out', () => {
    const keys = Array.from({ length: 200 }, () => createBlobKey());
    expect(new Set(keys).size).toBe(200);
    expect(new Set(keys.map((key) => key.slice(0, 2))).size).toBeGreaterThan(50);
    for (const key of keys) expect(key.slice(0, 5)).toBe(`${key.slice(-4, -2)}/${key.slice(-2)}`);
  });
});

describe('assertValidBlobKey', () => {
  it.each(['ab/cd/0190-uuid', 'thumbs/ab/cd/x_256.webp', 'A-Z_a.z/0-9'])('accepts %j', (key) => {
    expect(() => assertValidBlobKey(key)).not.toThrow();
  });

  it.each([
    ['', 'empty'],
    ['..', '".."'],
    ['a/../b', '".."'],
    ['a..b', '".."'],
    ['/etc/passwd', 'starts with "/"'],
    ['a\\b', 'backslash'],
    ['a\0b', 'NUL'],
    ['a b', 'characters outside'],
    ['a%2Fb', 'characters outside'],
    ['café', 'characters outside'],
    ['a//b', 'empty path segment'],
    ['a/', 'empty path segment'],
    ['.tmp/x', 'segment starts with "."'],
    ['a/.hidden', 'segment starts with "."'],
    ['x'.repeat(1025), 'too long'],
  ])('refuses %j (%s)', (key, reason) => {
    expect(() => assertValidBlobKey(key)).toThrow(InvalidBlobKeyError);
    expect(() => assertValidBlobKey(key)).toThrow(reason);
  });
});

describe('assertValidBlobPrefix', () => {
  it('accepts empty, partial and slash-terminated prefixes', () => {
    for (const prefix of ['', 'ab', 'ab/', 'ab/c'])
      expect(() => assertValidBlobPrefix(prefix)).not.toThrow();
  });

  it('refuses prefixes that could not name a valid key', () => {
    for (const prefix of ['../', '/', '/ab', 'a\\']) {
      expect(() => assertValidBlobPrefix(prefix)).toThrow(InvalidBlobKeyError);
    }
  });
});
