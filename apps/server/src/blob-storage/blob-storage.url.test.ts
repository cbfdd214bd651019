import { describe, expect, it } from 'vitest';
import { createBlobStorage } from './blob-storage.factory.js';
import { parseStorageUrl } from './blob-storage.url.js';

describe('parseStorageUrl', () => {
  it('reads a file URL as an fs root', () => {
    expect(parseStorageUrl('file:///var/lib/myfile/blobs')).toEqual({
      driver: 'fs',
      root: '/var/lib/myfile/blobs',
    });
    expect(parseStorageUrl('file:///data/my%20files')).toEqual({
      driver: 'fs',
      root: '/data/my files',
    });
  });

  it('reads memory://', () => {
    expect(parseStorageUrl('memory://')).toEqual({ driver: 'memory' });
  });

  it('reads a bare s3 URL, leaving region and credentials to the AWS chain', () => {
    expect(parseStorageUrl('s3://my-bucket')).toEqual({ driver: 's3', bucket: 'my-bucket' });
  });

  it('reads every s3 parameter', () => {
    const url =
      's3://my.bucket-1?region=eu-west-3&endpoint=http://127.0.0.1:9000&forcePathStyle=true' +
      '&prefix=/some/prefix/&storageClass=GLACIER_IR&accessKeyId=test&secretAccessKey=s%2Fecret';
    expect(parseStorageUrl(url)).toEqual({
      driver: 's3',
      bucket: 'my.bucket-1',
      region: 'eu-west-3',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      prefix: 'some/prefix',
      storageClass: 'GLACIER_IR',
      credentials: { accessKeyId: 'test', secretAccessKey: 's/ecret' },
    });
  });

  it.each([
    ['not a url', 'not a URL'],
    ['ftp://host/x', 'scheme "ftp:"'],
    ['file://host/x', 'must not name a host'],
    ['file:///', 'absolute directory other than /'],
    ['file:///x?y=1', 'takes no parameters'],
    ['s3://Bad_Bucket', 'not a valid bucket name'],
    ['s3://ok-bucket/prefix', '?prefix='],
    ['s3://key:secret@ok-bucket', 'pass credentials as'],
    ['s3://ok-bucket?regoin=us-east-1', 'unknown parameter "regoin"'],
    ['s3://ok-bucket?endpoint=localhost:9000', '"endpoint" must be an http(s) URL'],
    ['s3://ok-bucket?forcePathStyle=yes', '"forcePathStyle" must be true or false'],
    ['s3://ok-bucket?storageClass=COLD', '"storageClass" must be one of'],
    ['s3://ok-bucket?prefix=a/../b', '"prefix" is invalid'],
    ['s3://ok-bucket?accessKeyId=only', 'give both'],
    ['s3://ok-bucket?socketTimeoutMs=5', '"socketTimeoutMs" must be an integer'],
  ])('refuses %j, naming the problem', (url, message) => {
    expect(() => parseStorageUrl(url)).toThrow(message);
  });

  it('never echoes a secret in its messages', () => {
    const message = (() => {
      try {
        parseStorageUrl('s3://ok-bucket?secretAccessKey=hunter2');
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('give both');
    expect(message).not.toContain('hunter2');
  });
});

describe('createBlobStorage', () => {
  it('builds the driver each config names', async () => {
    expect((await createBlobStorage(parseStorageUrl('memory://'))).driverName).toBe('memory');
    expect((await createBlobStorage(parseStorageUrl('file:///tmp/never-written'))).driverName).toBe(
      'fs',
    );
    expect(
      (await createBlobStorage(parseStorageUrl('s3://ok-bucket?region=us-east-1'))).driverName,
    ).toBe('s3');
  });
});
