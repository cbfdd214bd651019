import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, constants, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createRequire } from 'node:module';
import type { S3BlobStorageConfig } from '../blob-storage/blob-storage.config.js';
import { parseStorageUrl } from '../blob-storage/blob-storage.url.js';

/**
 * A real S3-compatible server for tests: TEST_S3_URL if set (an `s3://any?endpoint=…` storage
 * URL or a plain http endpoint), else moto_server from the machine's Python, else the npm
 * s3rver (no AbortMultipartUpload or UploadPartCopy; and it answers `Range: bytes=0-0` with the
 * whole object, so that contract case fails there).
 * TEST_S3_SERVER=moto|s3rver forces one. With TEST_SERVICES=1, failing to get one throws.
 */
export type S3TestServer = {
  kind: 'moto' | 's3rver' | 'external';
  endpoint: string | undefined;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  supportsAbortMultipart: boolean;
  supportsUploadPartCopy: boolean;
  stop(): Promise<void>;
};

const READY_TIMEOUT_MS = 30_000;

export const getFreePort = async (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('No port from the OS.'));
      });
    });
  });

const isExecutable = async (path: string): Promise<boolean> =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

const findMotoServer = async (): Promise<string | undefined> => {
  const fromEnv = process.env.MOTO_SERVER;
  if (fromEnv) return fromEnv;
  const versionsDir = join(homedir(), '.pyenv', 'versions');
  const versions = await readdir(versionsDir).catch(() => [] as string[]);
  for (const version of versions.sort().reverse()) {
    const candidate = join(versionsDir, version, 'bin', 'moto_server');
    if (await isExecutable(candidate)) return candidate;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'moto_server');
    if (dir && (await isExecutable(candidate))) return candidate;
  }
  return undefined;
};

/** Keeps the child's stderr drained (moto logs every request) and its tail for error messages. */
const captureTail = (child: ChildProcess): (() => string) => {
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4_000);
  });
  return () => tail;
};

export const stopChild = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
};

const waitUntilAnswering = async (endpoint: string, child: ChildProcess, tail: () => string) => {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`S3 test server exited with ${child.exitCode}: ${tail()}`);
    }
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await stopChild(child);
  throw new Error(
    `S3 test server did not answer at ${endpoint} within ${READY_TIMEOUT_MS} ms: ${tail()}`,
  );
};

const spawnServer = async (args: {
  kind: 'moto' | 's3rver';
  command: string;
  argv: string[];
  port: number;
  env?: NodeJS.ProcessEnv;
  credentials: { accessKeyId: string; secretAccessKey: string };
  supportsAbortMultipart: boolean;
  supportsUploadPartCopy: boolean;
  onStop?: () => Promise<void>;
}): Promise<S3TestServer> => {
  const endpoint = `http://127.0.0.1:${args.port}`;
  const child = spawn(args.command, args.argv, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: args.env ?? process.env,
  });
  // A missing or non-executable binary surfaces as an 'error' event, never as an exit.
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  // A crashed test run must not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const tail = captureTail(child);
  try {
    await waitUntilAnswering(endpoint, child, tail);
  } catch (error) {
    process.off('exit', killOnExit);
    throw error;
  }
  console.log(
    `[s3-test-server] ${args.kind} at ${endpoint} (pid ${child.pid ?? '?'}, ${args.command})`,
  );
  return {
    kind: args.kind,
    endpoint,
    region: 'us-east-1',
    credentials: args.credentials,
    supportsAbortMultipart: args.supportsAbortMultipart,
    supportsUploadPartCopy: args.supportsUploadPartCopy,
    stop: async () => {
      process.off('exit', killOnExit);
      await stopChild(child);
      await args.onStop?.();
    },
  };
};

const startMoto = async (command: string): Promise<S3TestServer> => {
  const port = await getFreePort();
  return spawnServer({
    kind: 'moto',
    command,
    argv: ['-H', '127.0.0.1', '-p', String(port)],
    port,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    supportsAbortMultipart: true,
    supportsUploadPartCopy: true,
  });
};

const startS3rver = async (): Promise<S3TestServer> => {
  const script = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const port = await getFreePort();
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  return spawnServer({
    kind: 's3rver',
    command: process.execPath,
    argv: [script, '-d', directory, '-a', '127.0.0.1', '-p', String(port), '--silent'],
    port,
    // s3rver 3.7 signs with an algorithm OpenSSL 3 only offers through the legacy provider.
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --openssl-legacy-provider`.trim(),
    },
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    supportsAbortMultipart: false,
    supportsUploadPartCopy: false,
    onStop: () => rm(directory, { recursive: true, force: true }),
  });
};

const useExternalServer = (raw: string): S3TestServer => {
  const fallbackCredentials = {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
  };
  let server: S3TestServer;
  if (raw.startsWith('s3://')) {
    const config = parseStorageUrl(raw);
    if (config.driver !== 's3') throw new Error('TEST_S3_URL must be an s3:// URL.');
    server = {
      kind: 'external',
      endpoint: config.endpoint,
      region: config.region ?? process.env.AWS_REGION ?? 'us-east-1',
      credentials: config.credentials,
      supportsAbortMultipart: true,
      supportsUploadPartCopy: true,
      stop: async () => {},
    };
  } else {
    server = {
      kind: 'external',
      endpoint: raw,
      region: process.env.AWS_REGION ?? 'us-east-1',
      credentials: fallbackCredentials,
      supportsAbortMultipart: true,
      supportsUploadPartCopy: true,
      stop: async () => {},
    };
  }
  console.log(`[s3-test-server] external server from TEST_S3_URL (${server.endpoint ?? 'AWS'})`);
  return server;
};

/** moto when the machine has it, else s3rver; throws when neither can run. */
export const startS3TestServer = async (): Promise<S3TestServer> => {
  const external = process.env.TEST_S3_URL;
  if (external) return useExternalServer(external);
  const forced = process.env.TEST_S3_SERVER;
  const failures: string[] = [];
  if (forced !== 's3rver') {
    const moto = await findMotoServer();
    if (moto) {
      try {
        return await startMoto(moto);
      } catch (error) {
        failures.push(`moto_server: ${(error as Error).message}`);
      }
    } else {
      failures.push('moto_server: not found');
    }
  }
  if (forced !== 'moto') {
    try {
      return await startS3rver();
    } catch (error) {
      failures.push(`s3rver: ${(error as Error).message}`);
    }
  }
  throw new Error(`No S3-compatible test server could be started (${failures.join('; ')}).`);
};

export type TestBucket = {
  config: S3BlobStorageConfig;
  client: S3Client;
  cleanup(): Promise<void>;
};

/** A fresh bucket per test, emptied (objects and pending multipart uploads) and removed by cleanup. */
export const createTestBucket = async (
  server: S3TestServer,
  overrides: Partial<Omit<S3BlobStorageConfig, 'driver' | 'bucket'>> = {},
): Promise<TestBucket> => {
  const bucket = `test-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const config: S3BlobStorageConfig = {
    driver: 's3',
    bucket,
    region: server.region,
    forcePathStyle: true,
    ...(server.endpoint ? { endpoint: server.endpoint } : {}),
    ...(server.credentials ? { credentials: server.credentials } : {}),
    ...overrides,
  };
  const client = new S3Client({
    region: server.region,
    forcePathStyle: true,
    ...(server.endpoint ? { endpoint: server.endpoint } : {}),
    ...(server.credentials ? { credentials: server.credentials } : {}),
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));

  const cleanup = async () => {
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket })) {
      for (const object of page.Contents ?? []) {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
      }
    }
    if (server.supportsAbortMultipart) {
      const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      for (const upload of uploads.Uploads ?? []) {
        await client.send(
          new AbortMultipartUploadCommand({
            Bucket: bucket,
            Key: upload.Key,
            UploadId: upload.UploadId,
          }),
        );
      }
    }
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    client.destroy();
  };
  return { config, client, cleanup };
};

/** What global setup hands every test file about the run's one S3-compatible server. */
export type SharedS3Server = {
  kind: S3TestServer['kind'];
  endpoint: string | null;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  supportsAbortMultipart: boolean;
};

export const fromSharedS3Server = (shared: SharedS3Server): S3TestServer => ({
  kind: shared.kind,
  endpoint: shared.endpoint ?? undefined,
  region: shared.region,
  credentials: shared.credentials ?? undefined,
  supportsAbortMultipart: shared.supportsAbortMultipart,
  supportsUploadPartCopy: shared.kind !== 's3rver',
  stop: async () => {},
});

/** The `STORAGE_URL` naming a test bucket, so the app builds its S3 store (and tus S3 store) itself. */
export const storageUrlOf = (config: S3BlobStorageConfig): string => {
  const url = new URL(`s3://${config.bucket}`);
  if (config.region) url.searchParams.set('region', config.region);
  if (config.endpoint) url.searchParams.set('endpoint', config.endpoint);
  url.searchParams.set('forcePathStyle', String(config.forcePathStyle ?? true));
  if (config.credentials) {
    url.searchParams.set('accessKeyId', config.credentials.accessKeyId);
    url.searchParams.set('secretAccessKey', config.credentials.secretAccessKey);
  }
  return url.toString();
};
