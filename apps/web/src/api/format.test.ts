import { expect, test } from 'vitest';
import { formatBytes } from './format.js';

test('sizes are in binary units: a 50 GiB quota reads 50 GiB', () => {
  expect(formatBytes(0)).toBe('0 B');
  expect(formatBytes(1000)).toBe('1000 B');
  expect(formatBytes(1536)).toBe('1.5 KiB');
  expect(formatBytes(12 * 1024 * 1024)).toBe('12 MiB');
  expect(formatBytes(50 * 1024 ** 3)).toBe('50 GiB');
  expect(formatBytes(150.4 * 1024 ** 2)).toBe('150 MiB');
  expect(formatBytes(3 * 1024 ** 4)).toBe('3 TiB');
});
