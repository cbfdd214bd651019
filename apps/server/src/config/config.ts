import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tiersOverlap } from '../archive-storage/archive-storage.placement.js';
import { z } from 'zod';
import type { ConfigFragment, ParsedFragment } from './config.types.js';
import { booleanFromEnv, integerFromEnv, logLevelFromEnv, urlFromEnv } from './config.schemas.js';
import { trustProxyFromEnv } from './trust-proxy.js';
import {
  DEFAULT_VERSIONS_KEEP,
  defaultRetentionSchedule,
  versionsKeepFromEnv,
} from '../modules/versions/versions.models.js';
import { isSnsTopicArn } from '../modules/notifications/notifications.models.js';
import {
  oidcConfigSettings,
  parseOidcProviders,
  type OidcProviderConfig,
} from '../modules/oidc/oidc.config.js';
import { adminConfigSettings } from '../modules/admin/admin.config.js';

const GiB = 1024 ** 3;

/** The text-search configurations PostgreSQL (13 and later) ships. */
const searchLanguages = [
  'simple',
  ...'arabic armenian basque catalan danish dutch english finnish french german greek hindi hungarian indonesian irish italian lithuanian nepali norwegian portuguese romanian russian serbian spanish swedish tamil turkish yiddish'.split(
    ' ',
  ),
] as [string, ...string[]];

/**
 * Every setting the product reads, in the order `myfile help config` prints them.
 * Modules own the meaning; this is the one place that names and validates them.
 */
export const configSettings = {
  PORT: {
    schema: integerFromEnv({ min: 1, max: 65535 }).default(8080),
    doc: 'TCP port the HTTP server listens on.',
  },
  HOST: {
    schema: z.string().trim().min(1).default('localhost'),
    doc: 'Interface to bind; use 0.0.0.0 in a container.',
  },
  PUBLIC_URL: {
    schema: urlFromEnv(['http', 'https']).optional(),
    doc: 'The URL users reach the app at. Sets the allowed Origin, cookie security (Secure and __Host- under https) and links in mails.',
    defaultLabel: 'http://localhost:$PORT',
  },
  TRUST_PROXY: {
    schema: trustProxyFromEnv.default(false),
    doc: 'Which X-Forwarded-For hops give the client address: false (none), the number of proxies in front (1 behind one load balancer, 2 for CloudFront → ALB), or their addresses as a comma-separated list of IPs or CIDR ranges.',
  },
  DATA_DIR: {
    schema: z.string().trim().min(1).default('./data'),
    doc: 'Where the embedded defaults keep their data: db/, blobs/, archive/, keys/, outbox/, and uploads/ (unfinished resumable uploads when the store is not S3).',
  },
  DISK_RESERVE_BYTES: {
    schema: integerFromEnv({ min: 0, max: Number.MAX_SAFE_INTEGER }).default(64 * 1024 * 1024),
    doc: 'Space kept back under DATA_DIR (the file DATA_DIR/reserve) for the embedded database. When the disk fills it is released, so deleting, trashing and purging still work and free space; uploads answer 507 until twice this much is free again. 0: no reserve. Not used with DATABASE_URL.',
    defaultLabel: '67108864 (64 MiB)',
  },
  DISK_LOW_FREE_BYTES: {
    schema: integerFromEnv({ min: 0, max: Number.MAX_SAFE_INTEGER }).default(GiB),
    doc: 'Below this much free space under DATA_DIR, /readyz answers 507 insufficient_storage (when the embedded database or the blob store is on that disk). 0: never.',
    defaultLabel: '1073741824 (1 GiB)',
  },
  DATABASE_URL: {
    schema: urlFromEnv(['postgres', 'postgresql']).optional(),
    doc: 'PostgreSQL connection URL. Unset: embedded PGlite under DATA_DIR/db. The password may come from PGPASSWORD.',
    defaultLabel: '(embedded PGlite)',
    secret: true,
  },
  MIGRATE_ON_START: {
    schema: booleanFromEnv.default(true),
    doc: 'Apply pending migrations at start. Set false where a separate task migrates as the schema owner (the app user cannot run DDL); the process then refuses to start on an outdated schema.',
  },
  DATABASE_POOL_SIZE: {
    schema: integerFromEnv({ min: 1, max: 200 }).default(10),
    doc: 'Maximum PostgreSQL connections per process.',
  },
  DATABASE_STATEMENT_TIMEOUT_MS: {
    schema: integerFromEnv({ min: 0, max: 3_600_000 }).default(30_000),
    doc: 'Longest one PostgreSQL statement may run (0: no limit); the client calls the connection dead 2 s later and replaces it. `myfile migrate` runs without a limit.',
  },
  DATABASE_PREPARED_STATEMENTS: {
    schema: booleanFromEnv.default(true),
    doc: "Keep each statement's plan on its PostgreSQL connection (named prepared statements), so it is planned once rather than on every run. Set false behind a pooler in transaction mode that does not track them (PgBouncer before 1.21, or without max_prepared_statements).",
  },
  STORAGE_URL: {
    schema: urlFromEnv(['file', 's3', 'memory']).optional(),
    doc: 'Blob store: s3://bucket?region=…&endpoint=…&forcePathStyle=true, or file:///absolute/path. Unset: DATA_DIR/blobs.',
    defaultLabel: '(DATA_DIR/blobs on local disk)',
  },
  ARCHIVE_STORAGE_URL: {
    schema: urlFromEnv(['file', 's3', 'memory']).optional(),
    doc: 'Cold tier for archived folders: s3://archive-bucket?storageClass=GLACIER, or file:///path. Unset: DATA_DIR/archive, compressed.',
    defaultLabel: '(DATA_DIR/archive on local disk)',
  },
  ARCHIVE_RESTORE_POLL_SECONDS: {
    schema: integerFromEnv({ min: 1, max: 86_400 }).optional(),
    doc: 'Seconds a restore waits between two looks at the cold tier. A Glacier restore takes hours; the disk tier is readable at once.',
    defaultLabel: '300 when the cold tier is S3, else 5',
  },
  REDIS_URL: {
    schema: urlFromEnv(['redis', 'rediss']).optional(),
    doc: 'Redis for real-time fan-out, rate-limit counters and cache across processes. Unset: in-process.',
    defaultLabel: '(in-process)',
    secret: true,
  },
  REDIS_KEY_PREFIX: {
    schema: z.string().trim().min(1).max(64).default('myfile:'),
    doc: 'Prefix of every Redis key this deployment writes, so several deployments (or test runs) can share one Redis.',
  },
  REDIS_AUTH_TOKEN: {
    schema: z.string().min(1).optional(),
    doc: 'Redis AUTH token when it is not in REDIS_URL (ElastiCache).',
    secret: true,
  },
  MAIL_URL: {
    schema: urlFromEnv(['smtp', 'smtps']).optional(),
    doc: 'SMTP server for mail. Unset: mail goes to the log and DATA_DIR/outbox/*.eml, and new accounts are verified at once.',
    defaultLabel: '(log and outbox)',
    secret: true,
  },
  MAIL_FROM: {
    schema: z.string().trim().min(3).default('My File <no-reply@localhost>'),
    doc: 'Sender address of outgoing mail.',
  },
  NOTIFY_SNS_TOPIC_ARN: {
    schema: z
      .string()
      .trim()
      .refine(isSnsTopicArn, 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)')
      .optional(),
    doc: 'SNS topic the worker publishes archive and restore outcomes to (archive.completed, archive.failed, restore.completed, restore.failed), besides the mail and in-app events. Credentials come from the usual AWS chain.',
    defaultLabel: '(no SNS notifications)',
  },
  SECRETS_ID: {
    schema: z.string().trim().min(1).optional(),
    doc: 'AWS Secrets Manager secret id holding the signing key ring. Unset: generated under DATA_DIR/keys.',
    defaultLabel: '(DATA_DIR/keys)',
  },
  KEY_RING_RELOAD_SECONDS: {
    schema: integerFromEnv({ min: 1, max: 86_400 }).default(600),
    doc: 'How often a running process re-reads the signing key ring, so a rotation reaches every process without a restart.',
  },
  MAX_UPLOAD_BYTES: {
    schema: integerFromEnv({ min: 1, max: Number.MAX_SAFE_INTEGER }).default(10 * GiB),
    doc: 'Largest single upload, in bytes.',
    defaultLabel: '10737418240 (10 GiB)',
  },
  DOWNLOAD_ACCEL_REDIRECT: {
    schema: z
      .string()
      .trim()
      .regex(/^\/([A-Za-z0-9_-]+\/)+$/, 'must be a path like /internal-blobs/')
      .optional(),
    doc: "Behind nginx with the blob store on local disk: the path of an nginx `internal` location aliased to the store's directory. Whole-file downloads are then answered with X-Accel-Redirect and nginx sends the bytes (the app still checks access and sets every header); ranges stay with the app. Refused with an S3 store.",
    defaultLabel: '(the app streams downloads)',
  },
  MAX_UNFINISHED_UPLOADS: {
    schema: integerFromEnv({ min: 1, max: 10_000 }).default(20),
    doc: "Resumable uploads that may be unfinished at once in one person's space; each holds its declared length of the quota until it completes, is cancelled or expires.",
  },
  DEFAULT_QUOTA_BYTES: {
    schema: integerFromEnv({ min: 0, max: Number.MAX_SAFE_INTEGER }).default(50 * GiB),
    doc: 'Storage quota of a new account, in bytes (trash counts until purged).',
    defaultLabel: '53687091200 (50 GiB)',
  },
  TRASH_RETENTION_DAYS: {
    schema: integerFromEnv({ min: 1, max: 3650 }).default(30),
    doc: 'Days an item stays in the trash before it is purged automatically.',
  },
  VERSIONS_KEEP: {
    schema: versionsKeepFromEnv.default(defaultRetentionSchedule),
    doc: 'Which earlier versions of a replaced file are kept: off, or terms all:<age> (every version younger), daily:<age> (the newest of each UTC day younger), weekly[:<age>] (the newest of each week; no age: for ever) and max:<count>; ages like 24h, 30d, 52w, 0 turns a term off, a term left out keeps its default. An hourly job deletes the rest.',
    defaultLabel: DEFAULT_VERSIONS_KEEP,
  },
  SESSION_IDLE_DAYS: {
    schema: integerFromEnv({ min: 1, max: 30 }).default(7),
    doc: 'A browser session unused for this many days ends (it can no longer refresh); every session ends after 30 days anyway.',
  },
  TOKEN_RATE_LIMIT_PER_MINUTE: {
    schema: integerFromEnv({ min: 1, max: 1_000_000 }).default(600),
    doc: 'Requests one personal access token may make per minute, counted across every API process; more answer 429 with Retry-After.',
  },
  DAV_RATE_LIMIT_PER_MINUTE: {
    schema: integerFromEnv({ min: 1, max: 10_000_000 }).default(20_000),
    doc: 'WebDAV requests one app password (personal token) may make per minute, counted across every API process and apart from TOKEN_RATE_LIMIT_PER_MINUTE (a sync makes a request per file); more answer 429 with Retry-After.',
  },
  THUMBNAIL_MAX_PIXELS: {
    schema: integerFromEnv({ min: 1, max: 1_000_000_000 }).default(50_000_000),
    doc: 'Images with more pixels get no thumbnail; they are refused before decoding, so a decompression bomb cannot exhaust memory.',
  },
  THUMBNAIL_MAX_SOURCE_BYTES: {
    schema: integerFromEnv({ min: 0, max: Number.MAX_SAFE_INTEGER }).default(50 * 1024 * 1024),
    doc: 'Files larger than this get no thumbnail (0 turns thumbnails off). A PDF is read into memory up to this size to render its first page.',
    defaultLabel: '52428800 (50 MiB)',
  },
  CONTENT_SEARCH_MAX_BYTES: {
    schema: integerFromEnv({ min: 0, max: Number.MAX_SAFE_INTEGER }).default(20 * 1024 * 1024),
    doc: 'Text files and PDFs get their text extracted in the background for content search: a text file is read up to this many bytes, a larger PDF is not read (0 turns content search off). At most 200,000 characters of text per file are indexed.',
    defaultLabel: '20971520 (20 MiB)',
  },
  SEARCH_LANGUAGE: {
    schema: z.enum(searchLanguages).default('simple'),
    doc: "PostgreSQL text-search configuration for content search: 'simple' (the default) matches words as written in any language; a language ('english', 'french', 'german', …) also matches other forms of a word and skips its stop words. Text already indexed keeps the old configuration until its file changes.",
  },
  BODY_LIMIT_BYTES: {
    schema: integerFromEnv({ min: 1024, max: 100 * 1024 * 1024 }).default(1024 * 1024),
    doc: 'Largest JSON request body, in bytes (uploads have their own limit).',
  },
  WORKER_CONCURRENCY: {
    schema: integerFromEnv({ min: 1, max: 64 }).default(4),
    doc: 'Jobs one process runs at the same time.',
  },
  ...oidcConfigSettings,
  ...adminConfigSettings,
  LOG_LEVEL: {
    schema: logLevelFromEnv.default('info'),
    doc: 'fatal, error, warn, info, debug, trace or silent.',
  },
} satisfies ConfigFragment;

type RawConfig = ParsedFragment<typeof configSettings>;

export type Config = Omit<RawConfig, 'PUBLIC_URL' | 'DATA_DIR'> & {
  PUBLIC_URL: string;
  /** Absolute. */
  DATA_DIR: string;
  /** Every OpenID provider, from the single and the OIDC_PROVIDERS forms. */
  OIDC: OidcProviderConfig[];
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates the environment; the first bad variable is named in one line. */
export const parseConfig = (env: Record<string, string | undefined>): Config => {
  const values: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(configSettings)) {
    const raw = env[name];
    const input = raw === undefined || raw === '' ? undefined : raw;
    const result = setting.schema.safeParse(input);
    if (!result.success) {
      const reason = result.error.issues[0]?.message ?? 'is invalid';
      const shown = 'secret' in setting && setting.secret ? '' : ` (got "${raw}")`;
      throw new ConfigError(`Invalid configuration: ${name} ${reason}${shown}.`);
    }
    values[name] = result.data;
  }
  const raw = values as RawConfig;
  const dataDir = path.resolve(raw.DATA_DIR);
  const hotUrl = raw.STORAGE_URL ?? pathToFileURL(path.join(dataDir, 'blobs')).href;
  const coldUrl = raw.ARCHIVE_STORAGE_URL ?? pathToFileURL(path.join(dataDir, 'archive')).href;
  if (tiersOverlap({ hotUrl, coldUrl }))
    throw new ConfigError(
      'Invalid configuration: ARCHIVE_STORAGE_URL must not overlap STORAGE_URL (use another bucket, or disjoint prefixes).',
    );
  if (raw.DOWNLOAD_ACCEL_REDIRECT && !hotUrl.startsWith('file:'))
    throw new ConfigError(
      'Invalid configuration: DOWNLOAD_ACCEL_REDIRECT needs the blob store on local disk (STORAGE_URL file:///… or unset).',
    );
  const oidc = parseOidcProviders(env, (message) => {
    throw new ConfigError(`Invalid configuration: ${message}.`);
  });
  return {
    ...raw,
    OIDC: oidc,
    PUBLIC_URL: (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, ''),
    DATA_DIR: dataDir,
  };
};

/** The lines `myfile help config` prints. */
export const describeConfig = (): string =>
  Object.entries(configSettings)
    .map(([name, setting]) => {
      const fallback =
        ('defaultLabel' in setting ? setting.defaultLabel : undefined) ??
        defaultOf(setting.schema) ??
        '(unset)';
      return `${name}\n    default: ${fallback}\n    ${setting.doc}`;
    })
    .join('\n');

const defaultOf = (schema: z.ZodType): string | undefined => {
  const { success, data } = schema.safeParse(undefined);
  if (!success) return undefined;
  return typeof data === 'string' || typeof data === 'number' || typeof data === 'boolean'
    ? String(data)
    : undefined;
};
