import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { cloudFrontPrefixListIdFor } from './cloudfront-prefix-lists.js';

export const environmentNames = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof environmentNames)[number];

export interface ServiceSizing {
  cpu: number;
  memoryMiB: number;
  minTasks: number;
  maxTasks: number;
}

export interface EnvironmentConfig {
  name: EnvironmentName;
  /** Undefined means "whatever account the CLI credentials belong to" (env-agnostic account). */
  account: string | undefined;
  region: string;
  /** Explicit so that `cdk synth` needs no AZ lookup (works offline, no credentials). */
  availabilityZones: [string, string];
  vpcCidr: string;
  natGateways: 1 | 2;
  /** Interface endpoints (Secrets Manager, ECR, Logs) cost ~$64/month; dev goes through NAT. */
  interfaceEndpoints: boolean;
  flowLogRetentionDays: RetentionDays;
  database: {
    engineVersion: '16';
    /** r-classes: memory-optimised, what a cache wants. */
    instanceClass: 't4g' | 'm7g' | 'r7g';
    instanceSize: 'micro' | 'small' | 'medium' | 'large' | 'xlarge';
    allocatedStorageGiB: number;
    maxAllocatedStorageGiB: number;
    multiAz: boolean;
    backupRetentionDays: number;
    deletionProtection: boolean;
    performanceInsights: boolean;
  };
  redis: {
    nodeType: string;
    /** Replicas per shard; 1+ enables automatic failover and Multi-AZ. */
    replicas: 0 | 1 | 2;
  };
  api: ServiceSizing;
  worker: ServiceSizing;
  app: {
    maxUploadBytes: number;
    defaultQuotaBytes: number;
    trashRetentionDays: number;
    logLevel: 'debug' | 'info' | 'warn';
  };
  logRetentionDays: RetentionDays;
  /** Keep stateful resources (buckets, database, keys) when the stack is deleted. */
  retainData: boolean;
  waf: { requestsPer5MinPerIp: number; authRequestsPer5MinPerIp: number };
  alarms: {
    queueAgeSeconds: number;
    p99LatencySeconds: number;
    errorRatePercent: number;
    /** WAF blocked requests per 5 minutes that is more than the usual background noise. */
    wafBlockedPer5Min: number;
  };
  /** From context: see docs/deploy.md. */
  domain: DomainConfig;
  /**
   * The region's managed prefix list `com.amazonaws.global.cloudfront.origin-facing`: the only
   * source the ALB admits. Committed per region (see cloudfront-prefix-lists.ts) so synth
   * needs no AWS call; `-c cloudFrontPrefixListId=pl-…` covers a region not listed there.
   */
  cloudFrontPrefixListId: string;
  /** Route 53 public hosted zone for `webDomainName` and `apiOriginDomainName`, if any. */
  hostedZone: { id: string; name: string } | undefined;
  /** Break-glass shell: ECS Exec into the worker, logged. Off unless `-c breakGlass=true`. */
  breakGlass: boolean;
  /** Subscribed to the archive/restore notification topic (`NOTIFY_SNS_TOPIC_ARN`). */
  notificationEmail: string | undefined;
  /** ARN of an existing secret whose SecretString is the SES SMTP `MAIL_URL`. */
  mailSecretArn: string | undefined;
  alarmEmail: string | undefined;
  /** PUBLIC_URL: https://<webDomainName>, else the `publicUrl` context value, else unset. */
  publicUrl: string | undefined;
  /**
   * A commit's image in the pipeline's ECR repository (`-c imageTag=<commit>`); unset, `cdk
   * deploy` builds the image from the working tree.
   */
  imageTag: string | undefined;
  /** First deploy: services exist but run no tasks until the database user exists. */
  servicesPaused: boolean;
  /**
   * `-c cognito=true`: a Cognito user pool (CognitoStack) signs people in through OpenID
   * Connect; unset, no Cognito resource exists and the app has only the sign-in methods of
   * its own.
   */
  cognito: CognitoConfig | undefined;
  /** `-c passwordSignIn=false` sets PASSWORD_SIGNIN=false: only the provider signs people in. */
  passwordSignIn: boolean;
}

export interface CognitoConfig {
  /** `-c cognitoSelfSignUp=true`: anyone may create a pool account (and so an app account). */
  selfSignUp: boolean;
  /**
   * `-c cognitoMfa=required`: everyone sets up an authenticator at their next sign-in (the
   * managed login page walks them through it). Optional (the default) lets threat protection
   * ask for it on risky sign-ins, but Cognito's pages offer no way to set one up then.
   */
  mfaRequired: boolean;
  /**
   * The managed login page's host, `<prefix>.auth.<region>.amazoncognito.com`; unique per
   * region across all of AWS (`-c cognitoDomainPrefix=…`, default `myfile-<env>-<account>`).
   */
  domainPrefix: string | undefined;
  /** Where the user pool client sends people back: PUBLIC_URL, https. */
  publicUrl: string;
}

export interface DomainConfig {
  /** Public host name served by CloudFront, e.g. files.example.com. */
  webDomainName: string | undefined;
  /** ACM certificate in us-east-1 for `webDomainName` (CloudFront only reads us-east-1). */
  cloudFrontCertificateArn: string | undefined;
  /** Host name pointing at the ALB (alias record you create), covered by `albCertificateArn`. */
  apiOriginDomainName: string | undefined;
  /** ACM certificate in the app region for the ALB's HTTPS listener. */
  albCertificateArn: string | undefined;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

const shared = {
  vpcCidr: '10.0.0.0/16',
  app: {
    maxUploadBytes: 5 * GiB,
    defaultQuotaBytes: 10 * GiB,
    trashRetentionDays: 30,
    logLevel: 'info',
  },
  alarms: {
    queueAgeSeconds: 600,
    p99LatencySeconds: 2,
    errorRatePercent: 5,
    wafBlockedPer5Min: 500,
  },
} as const;

type StaticConfig = Omit<
  EnvironmentConfig,
  | 'name'
  | 'account'
  | 'domain'
  | 'mailSecretArn'
  | 'alarmEmail'
  | 'publicUrl'
  | 'servicesPaused'
  | 'cloudFrontPrefixListId'
  | 'hostedZone'
  | 'breakGlass'
  | 'notificationEmail'
  | 'imageTag'
  | 'cognito'
  | 'passwordSignIn'
>;

const defaults: Record<EnvironmentName, StaticConfig> = {
  dev: {
    ...shared,
    app: { ...shared.app, logLevel: 'debug' },
    region: 'eu-west-1',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    natGateways: 1,
    interfaceEndpoints: false,
    flowLogRetentionDays: RetentionDays.TWO_WEEKS,
    database: {
      engineVersion: '16',
      instanceClass: 't4g',
      instanceSize: 'micro',
      allocatedStorageGiB: 20,
      maxAllocatedStorageGiB: 50,
      multiAz: false,
      backupRetentionDays: 1,
      deletionProtection: false,
      performanceInsights: false,
    },
    redis: { nodeType: 'cache.t4g.micro', replicas: 0 },
    api: { cpu: 256, memoryMiB: 512, minTasks: 1, maxTasks: 2 },
    worker: { cpu: 256, memoryMiB: 512, minTasks: 1, maxTasks: 2 },
    logRetentionDays: RetentionDays.TWO_WEEKS,
    retainData: false,
    waf: { requestsPer5MinPerIp: 2000, authRequestsPer5MinPerIp: 300 },
  },
  staging: {
    ...shared,
    region: 'eu-west-1',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    natGateways: 1,
    interfaceEndpoints: true,
    flowLogRetentionDays: RetentionDays.ONE_MONTH,
    database: {
      engineVersion: '16',
      instanceClass: 't4g',
      instanceSize: 'medium',
      allocatedStorageGiB: 50,
      maxAllocatedStorageGiB: 200,
      multiAz: false,
      backupRetentionDays: 7,
      deletionProtection: true,
      performanceInsights: true,
    },
    redis: { nodeType: 'cache.t4g.small', replicas: 1 },
    api: { cpu: 512, memoryMiB: 1024, minTasks: 1, maxTasks: 4 },
    worker: { cpu: 512, memoryMiB: 1024, minTasks: 1, maxTasks: 4 },
    logRetentionDays: RetentionDays.ONE_MONTH,
    retainData: true,
    waf: { requestsPer5MinPerIp: 2000, authRequestsPer5MinPerIp: 300 },
  },
  prod: {
    ...shared,
    region: 'eu-west-1',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    natGateways: 2,
    interfaceEndpoints: true,
    flowLogRetentionDays: RetentionDays.THREE_MONTHS,
    database: {
      engineVersion: '16',
      instanceClass: 'r7g',
      instanceSize: 'large',
      allocatedStorageGiB: 100,
      maxAllocatedStorageGiB: 1000,
      multiAz: true,
      backupRetentionDays: 14,
      deletionProtection: true,
      performanceInsights: true,
    },
    redis: { nodeType: 'cache.r7g.large', replicas: 1 },
    api: { cpu: 1024, memoryMiB: 2048, minTasks: 2, maxTasks: 10 },
    worker: { cpu: 1024, memoryMiB: 2048, minTasks: 2, maxTasks: 8 },
    logRetentionDays: RetentionDays.THREE_MONTHS,
    retainData: true,
    waf: { requestsPer5MinPerIp: 2000, authRequestsPer5MinPerIp: 300 },
  },
};

function isEnvironmentName(value: unknown): value is EnvironmentName {
  return typeof value === 'string' && (environmentNames as readonly string[]).includes(value);
}

function optionalString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context "${key}" must be a string`);
  return value;
}

/**
 * Reads `-c env=dev|staging|prod` plus the per-deployment values that must not live in the
 * repo (certificates, domain, account, mail secret, alarm email) from CDK context.
 */
export function loadEnvironmentConfig(node: Node): EnvironmentConfig {
  const name: unknown = node.tryGetContext('env') ?? 'dev';
  if (!isEnvironmentName(name)) {
    throw new Error(
      `context "env" must be one of ${environmentNames.join(', ')}; got ${String(name)}`,
    );
  }
  const base = defaults[name];
  const region = optionalString(node, 'region') ?? base.region;
  const availabilityZones: [string, string] =
    region === base.region ? base.availabilityZones : [`${region}a`, `${region}b`];
  const domain: DomainConfig = {
    webDomainName: optionalString(node, 'webDomainName'),
    cloudFrontCertificateArn: optionalString(node, 'cloudFrontCertificateArn'),
    apiOriginDomainName: optionalString(node, 'apiOriginDomainName'),
    albCertificateArn: optionalString(node, 'albCertificateArn'),
  };
  validateDomain(domain);
  if (name !== 'dev') requireDomain(name, domain, optionalString(node, 'publicUrl'));
  const hostedZoneId = optionalString(node, 'hostedZoneId');
  const hostedZoneName = optionalString(node, 'hostedZoneName');
  if ((hostedZoneId === undefined) !== (hostedZoneName === undefined)) {
    throw new Error('context "hostedZoneId" and "hostedZoneName" go together');
  }
  if (hostedZoneName !== undefined) validateZone(hostedZoneName, domain);
  const publicUrl =
    domain.webDomainName === undefined
      ? optionalString(node, 'publicUrl')
      : `https://${domain.webDomainName}`;
  return {
    ...base,
    name,
    region,
    availabilityZones,
    account: optionalString(node, 'account') ?? process.env.CDK_DEFAULT_ACCOUNT,
    domain,
    mailSecretArn: optionalString(node, 'mailSecretArn'),
    alarmEmail: optionalString(node, 'alarmEmail'),
    notificationEmail: optionalString(node, 'notificationEmail'),
    publicUrl,
    cognito: cognitoConfigOf(node, publicUrl),
    passwordSignIn: !isFalse(node.tryGetContext('passwordSignIn')),
    imageTag: imageTagOf(node),
    servicesPaused: isTrue(node.tryGetContext('servicesPaused')),
    breakGlass: isTrue(node.tryGetContext('breakGlass')),
    cloudFrontPrefixListId: cloudFrontPrefixListIdFor(
      region,
      optionalString(node, 'cloudFrontPrefixListId'),
    ),
    hostedZone:
      hostedZoneId === undefined || hostedZoneName === undefined
        ? undefined
        : { id: hostedZoneId, name: hostedZoneName },
  };
}

function imageTagOf(node: Node): string | undefined {
  const tag = optionalString(node, 'imageTag');
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag)) {
    throw new Error(`context "imageTag" must be an image tag (a commit id); got ${tag}`);
  }
  return tag;
}

function cognitoConfigOf(node: Node, publicUrl: string | undefined): CognitoConfig | undefined {
  if (!isTrue(node.tryGetContext('cognito'))) return undefined;
  // Cognito accepts only https callback URLs (http just for localhost, which a deployment is not).
  if (publicUrl === undefined || !publicUrl.startsWith('https://')) {
    throw new Error(
      'context "cognito" needs an https public URL for the sign-in callback: set webDomainName (or, in dev, publicUrl=https://…)',
    );
  }
  const domainPrefix = optionalString(node, 'cognitoDomainPrefix');
  if (
    domainPrefix !== undefined &&
    (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domainPrefix) ||
      /aws|amazon|cognito/.test(domainPrefix))
  ) {
    throw new Error(
      `context "cognitoDomainPrefix" must be lower-case letters, digits and hyphens without "aws", "amazon" or "cognito"; got ${domainPrefix}`,
    );
  }
  const mfa = optionalString(node, 'cognitoMfa') ?? 'optional';
  if (mfa !== 'optional' && mfa !== 'required') {
    throw new Error(`context "cognitoMfa" must be optional or required; got ${mfa}`);
  }
  return {
    selfSignUp: isTrue(node.tryGetContext('cognitoSelfSignUp')),
    mfaRequired: mfa === 'required',
    domainPrefix,
    publicUrl: publicUrl.replace(/\/+$/, ''),
  };
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** Records are made only for names inside the zone; a name outside it is a typo, not a wish. */
function validateZone(zoneName: string, domain: DomainConfig): void {
  const zone = zoneName.replace(/\.$/, '').toLowerCase();
  if (domain.webDomainName === undefined) {
    throw new Error(
      'context "hostedZoneId" needs "webDomainName" (the name to point at CloudFront)',
    );
  }
  for (const key of ['webDomainName', 'apiOriginDomainName'] as const) {
    const name = domain[key]?.toLowerCase();
    if (name !== undefined && name !== zone && !name.endsWith(`.${zone}`)) {
      throw new Error(`context "${key}" (${name}) is not in the hosted zone ${zone}`);
    }
  }
}

function validateDomain(domain: DomainConfig): void {
  if ((domain.webDomainName === undefined) !== (domain.cloudFrontCertificateArn === undefined)) {
    throw new Error('context "webDomainName" and "cloudFrontCertificateArn" go together');
  }
  if (domain.cloudFrontCertificateArn?.startsWith('arn:aws:acm:us-east-1:') === false) {
    throw new Error('context "cloudFrontCertificateArn" must be an ACM certificate in us-east-1');
  }
  if ((domain.apiOriginDomainName === undefined) !== (domain.albCertificateArn === undefined)) {
    throw new Error('context "apiOriginDomainName" and "albCertificateArn" go together');
  }
}

/**
 * Staging and prod serve users: HTTPS end to end under a name of theirs, never the ALB's
 * plain-HTTP fallback or CloudFront's default certificate (which still allows TLSv1).
 */
function requireDomain(
  name: EnvironmentName,
  domain: DomainConfig,
  publicUrl: string | undefined,
): void {
  const missing = (Object.keys(domain) as Array<keyof DomainConfig>).filter(
    (key) => domain[key] === undefined,
  );
  if (missing.length > 0) {
    throw new Error(
      `${name} needs context ${missing.join(', ')} (HTTPS end to end; PUBLIC_URL is https://<webDomainName>); see docs/deploy.md`,
    );
  }
  if (publicUrl !== undefined && publicUrl !== `https://${domain.webDomainName ?? ''}`) {
    throw new Error(
      `${name}: context "publicUrl" must be https://${domain.webDomainName ?? ''} (it follows webDomainName)`,
    );
  }
}

export function resourcePrefix(config: EnvironmentConfig): string {
  return `myfile-${config.name}`;
}
