import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { resourcePrefix } from './config.js';
import { APP_DB_USER, DATABASE_NAME } from './constants.js';
import type { MyFileStackProps } from './stack-props.js';

export interface DataStackProps extends MyFileStackProps {
  vpc: ec2.IVpc;
  databaseSecurityGroup: ec2.ISecurityGroup;
  redisSecurityGroup: ec2.ISecurityGroup;
}

/**
 * RDS PostgreSQL and ElastiCache Redis in the isolated subnets, encrypted at rest with a
 * customer key and in transit (TLS enforced by both), credentials in Secrets Manager.
 */
export class DataStack extends Stack {
  readonly database: rds.DatabaseInstance;
  readonly masterSecret: secretsmanager.ISecret;
  readonly appUserSecret: secretsmanager.Secret;
  readonly redisAuthSecret: secretsmanager.Secret;
  readonly redis: elasticache.CfnReplicationGroup;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prefix = resourcePrefix(config);
    const retain = config.retainData;

    const dataKey = new kms.Key(this, 'DataKey', {
      description: `${prefix} database and cache storage`,
      enableKeyRotation: true,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const parameterGroup = new rds.ParameterGroup(this, 'PostgresParameters', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      description: 'TLS only, slow statements logged',
      parameters: {
        'rds.force_ssl': '1',
        log_min_duration_statement: '1000',
        ssl_min_protocol_version: 'TLSv1.2',
      },
    });

    this.database = new rds.DatabaseInstance(this, 'Postgres', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: ec2.InstanceType.of(
        instanceClassOf(config.database.instanceClass),
        instanceSizeOf(config.database.instanceSize),
      ),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [props.databaseSecurityGroup],
      publiclyAccessible: false,
      multiAz: config.database.multiAz,
      databaseName: DATABASE_NAME,
      credentials: rds.Credentials.fromGeneratedSecret('myfile_admin', {
        secretName: `${prefix}/db/master`,
      }),
      parameterGroup,
      storageType: rds.StorageType.GP3,
      allocatedStorage: config.database.allocatedStorageGiB,
      maxAllocatedStorage: config.database.maxAllocatedStorageGiB,
      storageEncrypted: true,
      storageEncryptionKey: dataKey,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      backupRetention: Duration.days(config.database.backupRetentionDays),
      preferredBackupWindow: '02:00-03:00',
      preferredMaintenanceWindow: 'sun:03:30-sun:04:30',
      deletionProtection: config.database.deletionProtection,
      removalPolicy: retain ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      deleteAutomatedBackups: !retain,
      autoMinorVersionUpgrade: true,
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
      cloudwatchLogsRetention: config.logRetentionDays,
      monitoringInterval: Duration.seconds(60),
      enablePerformanceInsights: config.database.performanceInsights,
      ...(config.database.performanceInsights ? { performanceInsightEncryptionKey: dataKey } : {}),
    });
    if (this.database.secret === undefined) throw new Error('RDS did not generate a secret');
    this.masterSecret = this.database.secret;

    // The password of the least-privilege role created by the one-off migration task
    // (infra/sql/create-app-user.sql); the app receives it as PGPASSWORD.
    this.appUserSecret = new secretsmanager.Secret(this, 'AppUserSecret', {
      secretName: `${prefix}/db/app-user`,
      description: `PostgreSQL login for ${APP_DB_USER}`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: APP_DB_USER }),
        generateStringKey: 'password',
        excludePunctuation: true,
        passwordLength: 40,
      },
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.redisAuthSecret = new secretsmanager.Secret(this, 'RedisAuthToken', {
      secretName: `${prefix}/redis/auth-token`,
      description: 'ElastiCache Redis AUTH token (REDIS_AUTH_TOKEN)',
      generateSecretString: { excludePunctuation: true, passwordLength: 64 },
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'RedisSubnets', {
      description: `${prefix} Redis in isolated subnets`,
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
    const redisLogs = new logs.LogGroup(this, 'RedisSlowLog', {
      retention: config.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const withFailover = config.redis.replicas > 0;
    this.redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: `${prefix} real-time fan-out, rate limits, cache`,
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: config.redis.nodeType,
      numNodeGroups: 1,
      replicasPerNodeGroup: config.redis.replicas,
      automaticFailoverEnabled: withFailover,
      multiAzEnabled: withFailover,
      port: 6379,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [props.redisSecurityGroup.securityGroupId],
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      kmsKeyId: dataKey.keyArn,
      authToken: this.redisAuthSecret.secretValue.unsafeUnwrap(),
      snapshotRetentionLimit: retain ? 7 : 0,
      autoMinorVersionUpgrade: true,
      logDeliveryConfigurations: [
        {
          destinationType: 'cloudwatch-logs',
          logFormat: 'json',
          logType: 'slow-log',
          destinationDetails: {
            cloudWatchLogsDetails: { logGroup: redisLogs.logGroupName },
          },
        },
      ],
    });
  }

  get redisEndpoint(): string {
    return this.redis.attrPrimaryEndPointAddress;
  }
}

function instanceClassOf(name: 't4g' | 'm7g' | 'r7g'): ec2.InstanceClass {
  switch (name) {
    case 't4g':
      return ec2.InstanceClass.BURSTABLE4_GRAVITON;
    case 'm7g':
      return ec2.InstanceClass.STANDARD7_GRAVITON;
    case 'r7g':
      return ec2.InstanceClass.MEMORY7_GRAVITON;
  }
}

function instanceSizeOf(name: 'micro' | 'small' | 'medium' | 'large' | 'xlarge'): ec2.InstanceSize {
  switch (name) {
    case 'micro':
      return ec2.InstanceSize.MICRO;
    case 'small':
      return ec2.InstanceSize.SMALL;
    case 'medium':
      return ec2.InstanceSize.MEDIUM;
    case 'large':
      return ec2.InstanceSize.LARGE;
    case 'xlarge':
      return ec2.InstanceSize.XLARGE;
  }
}
