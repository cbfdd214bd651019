import { expect, test } from 'vitest';
import { daysLeftText } from './trash-page.js';

test('the purge date reads as whole days left', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  expect(daysLeftText('2027-01-03T12:00:00Z', now)).toBe('deleted for good in 30 days');
  expect(daysLeftText('2026-12-05T11:00:00Z', now)).toBe('deleted for good in 1 day');
  expect(daysLeftText('2026-12-04T11:00:00Z', now)).toBe('deleted for good today');
});
