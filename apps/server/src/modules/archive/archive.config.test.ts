import { expect, test } from 'vitest';
import { ConfigError, describeConfig, parseConfig } from '../../config/config.js';
import { archiveTierOf, restorePollSecondsOf } from './archive.config.js';

test('the restore poll interval defaults by cold tier, and the setting wins', () => {
  expect(restorePollSecondsOf({ configured: undefined, coldDriver: 's3' })).toBe(300);
  expect(restorePollSecondsOf({ configured: undefined, coldDriver: 'fs' })).toBe(5);
  const { ARCHIVE_RESTORE_POLL_SECONDS } = parseConfig({ ARCHIVE_RESTORE_POLL_SECONDS: '60' });
  expect(restorePollSecondsOf({ configured: ARCHIVE_RESTORE_POLL_SECONDS, coldDriver: 's3' })).toBe(
    60,
  );
});

test('ARCHIVE_RESTORE_POLL_SECONDS is validated and listed by help config', () => {
  expect(parseConfig({}).ARCHIVE_RESTORE_POLL_SECONDS).toBeUndefined();
  for (const bad of ['0', '-5', 'soon', '86401'])
    expect(() => parseConfig({ ARCHIVE_RESTORE_POLL_SECONDS: bad })).toThrow(ConfigError);
  expect(() => parseConfig({ ARCHIVE_RESTORE_POLL_SECONDS: 'soon' })).toThrow(
    /ARCHIVE_RESTORE_POLL_SECONDS/,
  );
  expect(describeConfig()).toMatch(
    /ARCHIVE_RESTORE_POLL_SECONDS\n {4}default: 300 when the cold tier is S3, else 5/,
  );
});

test('a cold tier sharing keys with the hot store is refused at start', () => {
  const overlapping = [
    ['s3://files', 's3://files'],
    ['s3://files', 's3://files?prefix=archive'],
    ['s3://files?prefix=hot', 's3://files?prefix=hot/cold'],
    ['file:///srv/blobs', 'file:///srv/blobs/archive'],
  ];
  for (const [STORAGE_URL, ARCHIVE_STORAGE_URL] of overlapping)
    expect(() => parseConfig({ STORAGE_URL, ARCHIVE_STORAGE_URL })).toThrow(
      /ARCHIVE_STORAGE_URL must not overlap STORAGE_URL/,
    );
  const apart = [
    ['s3://files', 's3://archive'],
    ['s3://files?prefix=hot', 's3://files?prefix=cold'],
    ['s3://files?prefix=hot', 's3://files?prefix=hotter'],
    ['file:///srv/blobs', 'file:///srv/archive'],
  ];
  for (const [STORAGE_URL, ARCHIVE_STORAGE_URL] of apart)
    expect(parseConfig({ STORAGE_URL, ARCHIVE_STORAGE_URL }).ARCHIVE_STORAGE_URL).toBe(
      ARCHIVE_STORAGE_URL,
    );
  expect(() =>
    parseConfig({ DATA_DIR: '/srv/d', ARCHIVE_STORAGE_URL: 'file:///srv/d/blobs' }),
  ).toThrow(ConfigError);
});

test('the tier the web app words restores by: S3 takes hours, a disk is readable at once', () => {
  expect(archiveTierOf('s3')).toEqual({ cold: 's3', restore: 'hours' });
  expect(archiveTierOf('fs')).toEqual({ cold: 'disk', restore: 'immediate' });
  expect(archiveTierOf('memory')).toEqual({ cold: 'disk', restore: 'immediate' });
});
