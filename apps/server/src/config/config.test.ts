import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, configSettings, describeConfig, parseConfig } from './config.js';

describe('parseConfig', () => {
  test('an empty environment gives the embedded defaults', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: 'localhost',
      PUBLIC_URL: 'http://localhost:8080',
      DATA_DIR: path.resolve('./data'),
      DATABASE_URL: undefined,
      STORAGE_URL: undefined,
      REDIS_URL: undefined,
      TRASH_RETENTION_DAYS: 30,
      SESSION_IDLE_DAYS: 7,
      THUMBNAIL_MAX_PIXELS: 50_000_000,
      THUMBNAIL_MAX_SOURCE_BYTES: 50 * 1024 * 1024,
      LOG_LEVEL: 'info',
    });
  });

  test('values are parsed into their types', () => {
    const config = parseConfig({
      PORT: '3000',
      PUBLIC_URL: 'https://files.example.com/',
      DATABASE_URL: 'postgres://app@db:5432/myfile',
      STORAGE_URL: 's3://bucket?region=eu-west-1',
      MAX_UPLOAD_BYTES: '1048576',
      TRUST_PROXY: '2',
    });
    expect(config).toMatchObject({
      PORT: 3000,
      PUBLIC_URL: 'https://files.example.com',
      MAX_UPLOAD_BYTES: 1048576,
      TRUST_PROXY: { hops: 2 },
    });
  });

  test.each([
    ['false', false],
    ['0', false],
    ['1', { hops: 1 }],
    ['10.0.0.0/16', { addresses: ['10.0.0.0/16'] }],
    [
      ' 10.0.0.0/16, 2001:db8::/32 ,loopback,192.0.2.7',
      { addresses: ['10.0.0.0/16', '2001:db8::/32', 'loopback', '192.0.2.7'] },
    ],
  ])('TRUST_PROXY=%s is %j', (value, expected) => {
    expect(parseConfig({ TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  test('TRUST_PROXY is off by default', () => {
    expect(parseConfig({}).TRUST_PROXY).toBe(false);
  });

  test('NOTIFY_SNS_TOPIC_ARN takes a topic ARN, FIFO included', () => {
    for (const arn of [
      'arn:aws:sns:eu-west-1:123456789012:myfile-prod-notifications',
      'arn:aws-cn:sns:cn-north-1:123456789012:events.fifo',
    ])
      expect(parseConfig({ NOTIFY_SNS_TOPIC_ARN: arn }).NOTIFY_SNS_TOPIC_ARN).toBe(arn);
  });

  test('an empty string counts as unset', () => {
    expect(parseConfig({ PORT: '' }).PORT).toBe(8080);
  });

  test.each([
    ['PORT', 'abc', /^Invalid configuration: PORT must be a whole number \(got "abc"\)\.$/],
    ['PORT', '70000', /^Invalid configuration: PORT /],
    ['PUBLIC_URL', 'files.example.com', /^Invalid configuration: PUBLIC_URL must be a URL/],
    [
      'STORAGE_URL',
      'ftp://x',
      /^Invalid configuration: STORAGE_URL must start with file:\/\/ or s3:\/\//,
    ],
    [
      'TRUST_PROXY',
      'maybe',
      /^Invalid configuration: TRUST_PROXY must be false, the number of proxies in front of the app .*; "maybe" is none of these/,
    ],
    [
      'TRUST_PROXY',
      'true',
      /^Invalid configuration: TRUST_PROXY no longer takes true, which believed every X-Forwarded-For entry a client writes/,
    ],
    ['TRUST_PROXY', '11', /^Invalid configuration: TRUST_PROXY counts at most 10 proxies/],
    ['TRUST_PROXY', '10.0.0.0/33', /"10\.0\.0\.0\/33" is none of these/],
    ['TRUST_PROXY', '10.0.0.0/16, 300.1.1.1', /"300\.1\.1\.1" is none of these/],
    ['LOG_LEVEL', 'loud', /^Invalid configuration: LOG_LEVEL /],
    [
      'NOTIFY_SNS_TOPIC_ARN',
      'arn:aws:sqs:eu-west-1:123456789012:queue',
      /^Invalid configuration: NOTIFY_SNS_TOPIC_ARN must be an SNS topic ARN/,
    ],
    ['TRASH_RETENTION_DAYS', '0', /^Invalid configuration: TRASH_RETENTION_DAYS /],
    ['SESSION_IDLE_DAYS', '31', /^Invalid configuration: SESSION_IDLE_DAYS /],
    ['THUMBNAIL_MAX_PIXELS', '0', /^Invalid configuration: THUMBNAIL_MAX_PIXELS /],
    ['THUMBNAIL_MAX_SOURCE_BYTES', '-1', /^Invalid configuration: THUMBNAIL_MAX_SOURCE_BYTES /],
  ])('a bad %s (%s) is one line naming the variable', (name, value, message) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(message);
  });

  test('a secret value is never echoed in the error', () => {
    expect(() => parseConfig({ DATABASE_URL: 'mysql://user:hunter2@db' })).toThrow(
      /^Invalid configuration: DATABASE_URL must start with postgres:\/\/ or postgresql:\/\/\.$/,
    );
  });
});

describe('describeConfig', () => {
  test('lists the settings users rely on with their defaults', () => {
    const text = describeConfig();
    for (const name of Object.keys(configSettings)) expect(text).toContain(`${name}\n`);
    for (const name of [
      'PORT',
      'HOST',
      'PUBLIC_URL',
      'DATA_DIR',
      'DATABASE_URL',
      'STORAGE_URL',
      'ARCHIVE_STORAGE_URL',
      'REDIS_URL',
      'MAIL_URL',
      'SECRETS_ID',
      'MAX_UPLOAD_BYTES',
      'DEFAULT_QUOTA_BYTES',
      'TRASH_RETENTION_DAYS',
      'LOG_LEVEL',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain('PORT\n    default: 8080');
    expect(text).toContain('DATA_DIR\n    default: ./data');
  });

  test('the README documents every setting', async () => {
    const readme = await readFile(new URL('../../../../README.md', import.meta.url), 'utf8');
    const missing = Object.keys(configSettings).filter(
      (name) => !readme.includes(`| \`${name}\` |`),
    );
    expect(missing).toEqual([]);
  });
});
