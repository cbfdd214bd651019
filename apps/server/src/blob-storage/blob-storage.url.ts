import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  BlobStorageConfig,
  S3BlobStorageConfig,
  S3StorageClass,
} from './blob-storage.config.js';
import { s3StorageClasses } from './blob-storage.config.js';
import { assertValidBlobKey } from './blob-storage.keys.js';

const S3_PARAMS = new Set([
  'region',
  'endpoint',
  'forcePathStyle',
  'prefix',
  'storageClass',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'socketTimeoutMs',
]);
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const parseBoolean = (name: string, value: string): boolean => {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new Error(`s3 storage URL: "${name}" must be true or false, got "${value}"`);
};

const isStorageClass = (value: string): value is S3StorageClass =>
  (s3StorageClasses as readonly string[]).includes(value);

const parseS3Url = (url: URL): S3BlobStorageConfig => {
  const bucket = url.hostname;
  if (!BUCKET_NAME.test(bucket)) {
    throw new Error(`s3 storage URL: "${bucket}" is not a valid bucket name`);
  }
  if (url.pathname !== '' && url.pathname !== '/') {
    throw new Error('s3 storage URL: put a key prefix in ?prefix=, not in the path');
  }
  if (url.username || url.password) {
    throw new Error('s3 storage URL: pass credentials as ?accessKeyId=&secretAccessKey=');
  }
  const params = url.searchParams;
  for (const name of params.keys()) {
    if (!S3_PARAMS.has(name)) throw new Error(`s3 storage URL: unknown parameter "${name}"`);
  }
  const config: S3BlobStorageConfig = { driver: 's3', bucket };

  const region = params.get('region');
  if (region !== null) config.region = region;

  const endpoint = params.get('endpoint');
  if (endpoint !== null) {
    if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
      throw new Error('s3 storage URL: "endpoint" must be an http(s) URL');
    }
    config.endpoint = endpoint;
  }

  const forcePathStyle = params.get('forcePathStyle');
  if (forcePathStyle !== null)
    config.forcePathStyle = parseBoolean('forcePathStyle', forcePathStyle);

  const prefix = params.get('prefix')?.replace(/^\/+|\/+$/g, '');
  if (prefix) {
    try {
      assertValidBlobKey(prefix);
    } catch (error) {
      throw new Error(`s3 storage URL: "prefix" is invalid (${(error as Error).message})`);
    }
    config.prefix = prefix;
  }

  const storageClass = params.get('storageClass');
  if (storageClass !== null) {
    if (!isStorageClass(storageClass)) {
      throw new Error(
        `s3 storage URL: "storageClass" must be one of ${s3StorageClasses.join(', ')}`,
      );
    }
    config.storageClass = storageClass;
  }

  const socketTimeoutMs = params.get('socketTimeoutMs');
  if (socketTimeoutMs !== null) {
    const ms = Number(socketTimeoutMs);
    if (!Number.isInteger(ms) || ms < 1_000) {
      throw new Error('s3 storage URL: "socketTimeoutMs" must be an integer of at least 1000');
    }
    config.socketTimeoutMs = ms;
  }

  const accessKeyId = params.get('accessKeyId');
  const secretAccessKey = params.get('secretAccessKey');
  if ((accessKeyId === null) !== (secretAccessKey === null)) {
    throw new Error('s3 storage URL: give both "accessKeyId" and "secretAccessKey", or neither');
  }
  if (accessKeyId !== null && secretAccessKey !== null) {
    const sessionToken = params.get('sessionToken');
    config.credentials = {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken ? { sessionToken } : {}),
    };
  }
  return config;
};

/** Turns STORAGE_URL-style settings into a driver config; the message names what is wrong. */
export const parseStorageUrl = (raw: string): BlobStorageConfig => {
  if (!URL.canParse(raw)) throw new Error('storage URL is not a URL');
  const url = new URL(raw);
  switch (url.protocol) {
    case 'file:': {
      if (url.host !== '')
        throw new Error('file storage URL must not name a host (use file:///abs/path)');
      if (url.search !== '') throw new Error('file storage URL takes no parameters');
      const root = fileURLToPath(url);
      if (!isAbsolute(root) || root === '/') {
        throw new Error('file storage URL must name an absolute directory other than /');
      }
      return { driver: 'fs', root };
    }
    case 'memory:':
      return { driver: 'memory' };
    case 's3:':
      return parseS3Url(url);
    default:
      throw new Error(`storage URL scheme "${url.protocol}" is not one of file:, s3:, memory:`);
  }
};
